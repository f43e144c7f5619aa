package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** In memory, a finished application is forgotten after its retention: it answers 404. */
@ExtendWith(VertxExtension.class)
class FinishedApplicationsForgottenEndToEndTest {

  private static final Duration RETENTION = Duration.ofMinutes(10);

  private final MutableClock clock = new MutableClock(Instant.now());
  private RunningApp app;

  @AfterEach
  void stop() {
    app.close();
  }

  private void start(Vertx vertx, int capacity) {
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withValuerDelay(Duration.ZERO)
                .withFinishedExecutions(new AppConfig.FinishedExecutions(RETENTION, capacity)),
            clock);
  }

  private void finish(String reference) {
    app.post("/loan-applications", LoanProcessEndToEndTest.EXAMPLE.replace("app-ref", reference));
    app.awaitApplication(reference, "SUCCEEDED"::equals);
  }

  @Test
  void aFinishedApplicationAnswers404AfterTheRetention(Vertx vertx) {
    start(vertx, 100);
    finish("app-ref");

    clock.advance(RETENTION.minusSeconds(1));
    assertThat(app.get("/loan-applications/app-ref").status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(1));
    RunningApp.Response forgotten = app.get("/loan-applications/app-ref");

    assertThat(forgotten.status()).isEqualTo(404);
    assertThat(forgotten.headers().get("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void beyondTheCapacityTheOldestFinishedApplicationIsForgotten(Vertx vertx) {
    start(vertx, 1);
    finish("first");
    finish("second");

    assertThat(app.get("/loan-applications/first").status()).isEqualTo(404);
    assertThat(app.get("/loan-applications/second").status()).isEqualTo(200);
  }
}
