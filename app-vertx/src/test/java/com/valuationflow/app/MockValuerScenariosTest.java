package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.mockvaluer.CallbackSender;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each reserved name of the mock valuer leads a loan application down its documented path. The app
 * runs without {@code WEBHOOK_SECRET}: the mock valuer signs with the secret generated at start-up.
 */
@ExtendWith(VertxExtension.class)
class MockValuerScenariosTest {

  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withValuerDelay(Duration.ofMillis(30))
                .withTimeCompressedTo(Duration.ofMillis(10), Duration.ofSeconds(100)));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "999,                SUCCEEDED, ''",
    "Early callback,     SUCCEEDED, ''",
    "Duplicate response, SUCCEEDED, ''",
    "No callback,        FAILED,    ValuationServiceTimedOut",
    "Late callback,      FAILED,    ValuationServiceTimedOut",
    "Unknown reference,  FAILED,    ValuationServiceTimedOut",
    "Failed response,    FAILED,    ValuationFailed",
    "Unavailable,        FAILED,    ValuerUnavailable"
  })
  void theTriggerLeadsToItsOutcome(String nameOrNumber, String status, String error) {
    submit(nameOrNumber);

    JsonNode execution =
        app.awaitApplication("app-ref", current -> !current.equals("RUNNING")).json();

    assertThat(execution.path("status").asText()).as(execution.toString()).isEqualTo(status);
    assertThat(execution.path("error").asText()).isEqualTo(error);
    assertThat(
            StreamSupport.stream(execution.path("history").spliterator(), false)
                .filter(event -> event.path("type").asText().equals("TaskSucceeded")))
        .hasSize(status.equals("SUCCEEDED") ? 1 : 0);
  }

  @Test
  void threeDeliveriesOfOneMessageAreAppliedOnceAndAnsweredAlike() {
    try (CapturedLog log = CapturedLog.of(CallbackSender.class)) {
      submit("Duplicate response");
      app.awaitApplication("app-ref", status -> status.equals("SUCCEEDED"));

      List<String> deliveries = awaitDeliveries(log, 3);
      assertThat(deliveries)
          .allSatisfy(delivery -> assertThat(delivery).endsWith(": HTTP 200 RESUMED"));
      assertThat(deliveries.stream().map(delivery -> delivery.split(" ")[3]).distinct())
          .as("one webhook-id")
          .hasSize(1);
    }
  }

  /**
   * The valuer answers the first request only after the reply timeout, and calls back later still:
   * the workflow retries the request, the retry carries the same key and callback URL, the valuer
   * answers it at once with the same reference, and its one callback resumes the retry.
   */
  @Test
  void aSlowValuerIsAskedForOneValuationAndItsCallbackResumesTheRetry(Vertx vertx)
      throws InterruptedException {
    app.close();
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withValuerDelay(Duration.ofMillis(800))
                .withValuerTimeout(Duration.ofMillis(300))
                .withTimeCompressedTo(Duration.ofMillis(10), Duration.ofSeconds(300)));
    try (CapturedLog log = CapturedLog.of(CallbackSender.class)) {
      submit("Slow reply");

      JsonNode execution =
          app.awaitApplication("app-ref", current -> !current.equals("RUNNING")).json();

      assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(execution.path("output").path("valuation").path("propertyValue").asLong())
          .isPositive();
      List<JsonNode> history =
          StreamSupport.stream(execution.path("history").spliterator(), false).toList();
      assertThat(history)
          .filteredOn(event -> event.path("type").asText().equals("TaskFailed"))
          .as("the first attempt gave up waiting for the reply")
          .hasSize(1)
          .allSatisfy(event -> assertThat(event.toString()).contains("ValuerUnavailable"));
      assertThat(history)
          .filteredOn(event -> event.path("type").asText().equals("TaskSucceeded"))
          .hasSize(1);
      Thread.sleep(2_000); // past when a second valuation's callback would come
      assertThat(awaitDeliveries(log, 1)).as("one valuation, one callback").hasSize(1);
    }
  }

  @Test
  void theMockValuerHonoursIdempotencyKeys() {
    String request =
        "{\"property\":{\"nameOrNumber\":\"No callback\",\"postcode\":\"PO1 1CE\"},\"callbackUrl\":\""
            + app.url("/webhooks/valuations?correlationId=c-AAAAAAAAAAAAAAAAAAAAAA")
            + "\"}";
    Map<String, String> key = Map.of("Idempotency-Key", "c-key-1");

    RunningApp.Response first =
        app.postAbs(URI.create(app.url("/valuer/valuations")), request, key);
    RunningApp.Response repeat =
        app.postAbs(URI.create(app.url("/valuer/valuations")), request, key);
    RunningApp.Response reused =
        app.postAbs(
            URI.create(app.url("/valuer/valuations")), request.replace("PO1 1CE", "SW1A 1AA"), key);
    RunningApp.Response other =
        app.postAbs(
            URI.create(app.url("/valuer/valuations")),
            request,
            Map.of("Idempotency-Key", "c-key-2"));

    assertThat(first.status()).isEqualTo(202);
    assertThat(repeat.status()).isEqualTo(202);
    assertThat(repeat.json().path("valuationReference"))
        .isEqualTo(first.json().path("valuationReference"));
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.json().path("type").asText()).isEqualTo("/problems/idempotency-key-reused");
    assertThat(other.json().path("valuationReference"))
        .isNotEqualTo(first.json().path("valuationReference"));
  }

  @Test
  void callbacksSignedWithAnyOtherSecretAreRefused() {
    RunningApp.Response response =
        app.postAbs(
            app.webhookUrl("c-AAAAAAAAAAAAAAAAAAAAAA"),
            "{\"valuationReference\":\"val-1\",\"propertyValue\":250000}");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json().path("type").asText()).isEqualTo("/problems/invalid-signature");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://internal.example:8080/admin",
        "http://localhost:1/webhooks/valuations"
      })
  void theMockValuerCallsNoUrlOutsideItsAllowList(String callbackUrl) {
    RunningApp.Response response =
        app.post(
            "/valuer/valuations",
            "{\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"},\"callbackUrl\":\""
                + callbackUrl
                + "\"}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("errors").findValuesAsText("field"))
        .containsExactly("callbackUrl");
  }

  @Test
  void theMockValuerCallsThisAppBackByDefault() {
    RunningApp.Response response =
        app.post(
            "/valuer/valuations",
            "{\"property\":{\"nameOrNumber\":\"No callback\",\"postcode\":\"PO1 1CE\"},\"callbackUrl\":\""
                + app.url("/webhooks/valuations?correlationId=c-AAAAAAAAAAAAAAAAAAAAAA")
                + "\"}");

    assertThat(response.status()).isEqualTo(202);
  }

  private void submit(String nameOrNumber) {
    app.post(
        "/loan-applications",
        "{\"applicationReference\":\"app-ref\",\"property\":{\"nameOrNumber\":\""
            + nameOrNumber
            + "\",\"postcode\":\"PO1 1CE\"}}");
  }

  private static List<String> awaitDeliveries(CapturedLog log, int count) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      List<String> deliveries =
          log.messages().stream()
              .filter(message -> message.startsWith("Mock valuer delivered"))
              .toList();
      if (deliveries.size() >= count || Instant.now().isAfter(deadline)) {
        return deliveries;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
