package com.valuationflow.domain.testing;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import java.time.Instant;
import java.util.UUID;

/** Builds {@link ParkedTask}s for tests: {@code aParkedTask().withKey("c-1").build()}. */
public final class ParkedTasks {

  private String key = "c-" + UUID.randomUUID();
  private String token = "token-" + UUID.randomUUID();
  private String applicationReference = "app-ref";
  private Instant expiresAt = Instant.parse("2030-01-01T00:00:00Z");

  private ParkedTasks() {}

  public static ParkedTasks aParkedTask() {
    return new ParkedTasks();
  }

  public ParkedTasks withKey(String key) {
    this.key = key;
    return this;
  }

  public ParkedTasks withToken(String token) {
    this.token = token;
    return this;
  }

  public ParkedTasks withApplicationReference(String applicationReference) {
    this.applicationReference = applicationReference;
    return this;
  }

  public ParkedTasks expiringAt(Instant expiresAt) {
    this.expiresAt = expiresAt;
    return this;
  }

  public ParkedTask build() {
    return ParkedTask.awaitingReply(
        CorrelationKey.of(key),
        TaskToken.of(token),
        ApplicationReference.of(applicationReference),
        expiresAt);
  }
}
