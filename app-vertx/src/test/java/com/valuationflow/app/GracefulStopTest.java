package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.http.InFlightRequests.Drained;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stop lets a loan submission held on its worker thread (Step Functions answers only when told)
 * finish with its normal answer, refuses requests arriving meanwhile, and gives up on work that
 * outlasts the grace period.
 */
@ExtendWith(VertxExtension.class)
class GracefulStopTest {

  private static final String APPLICATION =
      "{\"applicationReference\":\"stop-ref\","
          + "\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"SW1A 1AA\"}}";

  private HeldStepFunctions stepFunctions;
  private RunningApp app;

  private RunningApp start(Vertx vertx, int graceSeconds) {
    stepFunctions = HeldStepFunctions.start(vertx);
    app =
        RunningApp.start(
            vertx,
            AppConfig.fromEnvironment(
                stepFunctions.appEnvironment(
                    Map.of("SHUTDOWN_GRACE_SECONDS", Integer.toString(graceSeconds)))));
    return app;
  }

  @AfterEach
  void stop() {
    stepFunctions.release();
    app.close();
    stepFunctions.close();
  }

  private Future<HttpResponse<Buffer>> submit() {
    return app.client()
        .post(app.port(), "localhost", "/loan-applications")
        .putHeader("Content-Type", "application/json")
        .putHeader("Authorization", TestApiKey.AUTHORIZATION)
        .sendBuffer(Buffer.buffer(APPLICATION));
  }

  @Test
  void anInFlightSubmissionFinishesAndNewRequestsAreRefused(Vertx vertx) throws Exception {
    start(vertx, 10);
    Future<HttpResponse<Buffer>> submission = submit();
    stepFunctions.awaitFirstCall();

    Future<Drained> stopped = app.stop();
    RunningApp.Response refused = app.get("/health");

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.headers().get("Retry-After")).isEqualTo("5");
    assertThat(refused.json().path("type").asText()).isEqualTo("/problems/stopping");
    assertThat(stopped.isComplete()).as("stop waits for the submission").isFalse();

    stepFunctions.release();

    assertThat(RunningApp.await(submission).statusCode()).isEqualTo(202);
    Drained drained = RunningApp.await(stopped);
    assertThat(drained.inFlight()).isEqualTo(1);
    assertThat(drained.complete()).isTrue();
    assertThat(drained.took()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void workOutlastingTheGracePeriodIsAbandonedAndCounted(Vertx vertx) throws Exception {
    start(vertx, 1);
    Future<HttpResponse<Buffer>> submission = submit();
    stepFunctions.awaitFirstCall();

    Drained drained = RunningApp.await(app.stop());

    assertThat(drained.took()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
    assertThat(drained.complete()).isFalse();
    assertThat(drained.inFlight()).isEqualTo(1);
    assertThat(drained.abandonedRequests()).isEqualTo(1);
    assertThat(drained.abandonedBlockingWork()).isEqualTo(1);
    assertThat(submission.toCompletionStage().toCompletableFuture())
        .as("the abandoned request's connection is closed")
        .failsWithin(Duration.ofSeconds(5));
  }
}
