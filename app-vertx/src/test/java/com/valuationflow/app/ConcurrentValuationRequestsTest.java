package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.webhook.WebhookSecrets;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A slow valuer is asked for many valuations at once, not a few at a time: in memory, the engine's
 * workers and the connections to the valuer are sized together.
 */
@ExtendWith(VertxExtension.class)
class ConcurrentValuationRequestsTest {

  private static final int APPLICATIONS = 20;
  private static final long VALUER_REPLY_MS = 1_000;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private ScriptedValuer valuer;
  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    valuer =
        ScriptedValuer.start(vertx)
            .beforeAnswering(
                request -> {
                  peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  return vertx
                      .timer(VALUER_REPLY_MS)
                      .onComplete(done -> inFlight.decrementAndGet());
                });
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withWebhookSecrets(WebhookSecrets.of(ScriptedValuer.SECRET))
                .withValuerUrl(valuer.url())
                .withTimeCompressedTo(Duration.ofMillis(10), Duration.ofSeconds(600)));
  }

  @AfterEach
  void stop() {
    app.close();
    valuer.close();
  }

  @Test
  void aSlowValuerIsAskedForEveryWaitingValuationAtOnce() {
    for (int i = 0; i < APPLICATIONS; i++) {
      assertThat(
              app.post(
                      "/loan-applications",
                      "{\"applicationReference\":\"app-"
                          + i
                          + "\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}")
                  .status())
          .isEqualTo(202);
    }

    for (int i = 0; i < APPLICATIONS; i++) {
      app.awaitApplication(
          "app-" + i,
          status -> status.equals("RUNNING"),
          execution ->
              StreamSupport.stream(execution.path("history").spliterator(), false)
                  .anyMatch(event -> event.path("type").asText().equals("TaskSubmitted")));
    }
    assertThat(valuer.requestCount()).isEqualTo(APPLICATIONS);
    assertThat(peak.get()).as("valuation requests the valuer held at once").isEqualTo(APPLICATIONS);
  }
}
