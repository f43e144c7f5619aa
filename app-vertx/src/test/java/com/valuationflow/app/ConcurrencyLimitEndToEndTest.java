package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A saturated app in {@code MODE=aws}: Step Functions holds every call, so the admitted submissions
 * wait on their workers; every request beyond {@code MAX_IN_FLIGHT_REQUESTS} is refused at once
 * with {@code 503} and {@code Retry-After}, none waits for a worker, and the admitted ones finish
 * normally once Step Functions answers.
 */
@ExtendWith(VertxExtension.class)
class ConcurrencyLimitEndToEndTest {

  private static final int LIMIT = 3;
  private static final int REQUESTS = 10;

  private HeldStepFunctions stepFunctions;
  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    stepFunctions = HeldStepFunctions.start(vertx);
    app =
        RunningApp.start(
            vertx,
            AppConfig.fromEnvironment(
                stepFunctions.appEnvironment(
                    Map.of("MAX_IN_FLIGHT_REQUESTS", Integer.toString(LIMIT)))));
  }

  @AfterEach
  void stop() {
    stepFunctions.release();
    app.close();
    stepFunctions.close();
  }

  private Future<RunningApp.Response> submit(int i) {
    return app.client()
        .post(app.port(), "localhost", "/loan-applications")
        .putHeader("Content-Type", "application/json")
        .putHeader("Authorization", TestApiKey.AUTHORIZATION)
        .timeout(10_000)
        .sendBuffer(
            Buffer.buffer(
                "{\"applicationReference\":\"app-"
                    + i
                    + "\",\"property\":{\"nameOrNumber\":\"999\",\"postcode\":\"PO1 1CE\"}}"))
        .map(RunningApp::toResponse);
  }

  @Test
  void requestsBeyondTheLimitAreRefusedAtOnceAndTheAdmittedOnesFinish() throws Exception {
    List<RunningApp.Response> answered = new CopyOnWriteArrayList<>();
    List<Future<RunningApp.Response>> submissions =
        IntStream.range(0, REQUESTS).mapToObj(this::submit).toList();
    submissions.forEach(submission -> submission.onSuccess(answered::add));
    stepFunctions.awaitFirstCall();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (answered.size() < REQUESTS - LIMIT && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertThat(answered).as("answered while Step Functions holds").hasSize(REQUESTS - LIMIT);
    for (RunningApp.Response refused : answered) {
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.headers().get("Retry-After")).isEqualTo("1");
      assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
      assertThat(refused.json().path("type").asText()).isEqualTo("/problems/at-capacity");
    }
    assertThat(app.get("/health").status()).as("health is never refused").isEqualTo(200);

    stepFunctions.release();
    RunningApp.await(Future.join(submissions));
    assertThat(submissions.stream().map(s -> s.result().status()))
        .containsOnly(202, 503)
        .filteredOn(status -> status == 202)
        .hasSize(LIMIT);
    assertThat(app.post("/loan-applications", body(REQUESTS)).status())
        .as("capacity is given back")
        .isEqualTo(202);
  }

  private static String body(int i) {
    return "{\"applicationReference\":\"app-"
        + i
        + "\",\"property\":{\"nameOrNumber\":\"999\",\"postcode\":\"PO1 1CE\"}}";
  }
}
