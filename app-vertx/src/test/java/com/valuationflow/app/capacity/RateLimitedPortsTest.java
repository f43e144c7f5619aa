package com.valuationflow.app.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.Property;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.ServiceUnavailableException;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import com.valuationflow.domain.testing.MutableClock;
import com.valuationflow.domain.testing.RecordingWorkflowResumer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimitedPortsTest {

  private static final TaskToken TOKEN = TaskToken.of("AQ" + "A".repeat(120));
  private static final WorkflowInput INPUT =
      new WorkflowInput(
          new LoanApplication(ApplicationReference.of("app-ref"), Property.of("999", "PO1 1CE")),
          Duration.ofHours(1));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  @Test
  void sendsBeyondTheBucketAreNotMadeAndSayWhenToTryAgain() {
    RecordingWorkflowResumer resumer = new RecordingWorkflowResumer();
    RateLimitedWorkflowResumer limited =
        new RateLimitedWorkflowResumer(resumer, new TokenBucket(2, 4, clock));

    limited.heartbeat(TOKEN);
    limited.fail(TOKEN, TaskFailure.of("ValuationFailed", "no access"));

    assertThatThrownBy(() -> limited.heartbeat(TOKEN))
        .isInstanceOfSatisfying(
            RateLimitExceededException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(250)))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThat(resumer.calls()).hasSize(2);

    clock.advance(Duration.ofMillis(250));
    limited.heartbeat(TOKEN);
    assertThat(resumer.calls()).hasSize(3);
  }

  @Test
  void startsBeyondTheBucketAreNotMade() {
    AtomicInteger starts = new AtomicInteger();
    WorkflowStarter starter =
        input -> {
          starts.incrementAndGet();
          return StartOutcome.STARTED;
        };
    RateLimitedWorkflowStarter limited =
        new RateLimitedWorkflowStarter(starter, new TokenBucket(1, 1, clock));

    assertThat(limited.start(INPUT)).isEqualTo(StartOutcome.STARTED);
    assertThatThrownBy(() -> limited.start(INPUT))
        .isInstanceOfSatisfying(
            RateLimitExceededException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)));
    assertThat(starts).hasValue(1);
  }
}
