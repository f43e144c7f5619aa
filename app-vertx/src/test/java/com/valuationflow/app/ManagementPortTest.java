package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.http.InFlightRequests.Drained;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The management port: its own port, its own paths, and readiness that turns not-ready as soon as a
 * graceful stop begins, while the public port still drains.
 */
@ExtendWith(VertxExtension.class)
class ManagementPortTest {

  @Test
  void inMemoryTheAppIsReadyOnceStartedAndTheManagementPathsStayOffThePublicPort(Vertx vertx) {
    try (RunningApp app = RunningApp.start(vertx, AppConfig.defaults())) {
      assertThat(app.managementPort()).isNotEqualTo(app.port());

      RunningApp.Response ready = app.management("/health/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().path("status").asText()).isEqualTo("UP");
      assertThat(ready.json().path("phase").asText()).isEqualTo("STARTED");
      assertThat(app.management("/health/live").json().path("status").asText()).isEqualTo("UP");
      RunningApp.Response metrics = app.management("/metrics");
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
      assertThat(metrics.text()).contains("valuationflow_callbacks_total{outcome=\"resumed\"} 0.0");
      RunningApp.Response unknown = app.management("/actuator");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.headers().get("Content-Type")).isEqualTo("application/problem+json");

      assertThat(app.get("/metrics").status()).isEqualTo(404);
      assertThat(app.get("/health/ready").status()).isEqualTo(404);
      assertThat(app.get("/health").status()).as("kept for compatibility").isEqualTo(200);
    }
  }

  @Test
  void readinessTurnsNotReadyFirstWhenAStopBegins(Vertx vertx) throws Exception {
    HeldStepFunctions stepFunctions = HeldStepFunctions.start(vertx);
    RunningApp app =
        RunningApp.start(
            vertx,
            AppConfig.fromEnvironment(
                stepFunctions.appEnvironment(Map.of("SHUTDOWN_GRACE_SECONDS", "10"))));
    try {
      Future<HttpResponse<Buffer>> submission =
          app.client()
              .post(app.port(), "localhost", "/loan-applications")
              .putHeader("Content-Type", "application/json")
              .putHeader("Authorization", TestApiKey.AUTHORIZATION)
              .sendBuffer(
                  Buffer.buffer(
                      "{\"applicationReference\":\"stop-ref\","
                          + "\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"SW1A 1AA\"}}"));
      // The submission's StartExecution call, held: no readiness probe ran yet to make another.
      stepFunctions.awaitFirstCall();

      Future<Drained> stopped = app.stop();
      RunningApp.Response ready = app.management("/health/ready");

      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().path("phase").asText()).isEqualTo("STOPPING");
      assertThat(app.management("/health/live").status()).isEqualTo(200);
      assertThat(stopped.isComplete()).as("the submission is still draining").isFalse();
      stepFunctions.release();
      assertThat(RunningApp.await(submission).statusCode()).isEqualTo(202);
      assertThat(RunningApp.await(stopped).complete()).isTrue();
    } finally {
      stepFunctions.release();
      app.close();
      stepFunctions.close();
    }
  }
}
