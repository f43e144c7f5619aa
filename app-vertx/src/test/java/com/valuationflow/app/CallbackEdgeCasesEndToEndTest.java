package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.webhook.WebhookSecrets;
import com.valuationflow.app.webhook.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What real valuers do to a webhook, over real HTTP: the test plays the valuer (a scripted HTTP
 * server the app asks for valuations) and posts its callbacks itself, reading every answer. Time is
 * compressed: one second of the definition lasts {@value #SECOND_MS} ms.
 */
@ExtendWith(VertxExtension.class)
class CallbackEdgeCasesEndToEndTest {

  static final long SECOND_MS = 10;
  static final Duration TIMEOUT = Duration.ofSeconds(40);

  private ScriptedValuer valuer;
  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    valuer = ScriptedValuer.start(vertx);
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withWebhookSecrets(WebhookSecrets.of(ScriptedValuer.SECRET))
                .withValuerUrl(valuer.url())
                .withTimeCompressedTo(Duration.ofMillis(SECOND_MS), TIMEOUT));
  }

  @AfterEach
  void stop() {
    app.close();
    valuer.close();
  }

  /** Submits an application and waits until the app has the valuer's reply to its request. */
  private ScriptedValuer.Received submit(String reference) {
    assertThat(
            app.post(
                    "/loan-applications",
                    "{\"applicationReference\":\""
                        + reference
                        + "\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}")
                .status())
        .isEqualTo(202);
    ScriptedValuer.Received request = valuer.nextRequest();
    if (request.valuationReference() != null) {
      app.awaitApplication(
          reference,
          status -> true,
          execution ->
              count(execution, "TaskSubmitted") == 1
                  || !execution.path("status").asText().equals("RUNNING"));
    }
    return request;
  }

  private static String valuation(String reference, long value) {
    return "{\"valuationReference\":\"" + reference + "\",\"propertyValue\":" + value + "}";
  }

  private static long count(JsonNode execution, String eventType) {
    return StreamSupport.stream(execution.path("history").spliterator(), false)
        .filter(event -> event.path("type").asText().equals(eventType))
        .count();
  }

  private RunningApp.Response finished(String reference) {
    return app.awaitApplication(reference, status -> !status.equals("RUNNING"));
  }

  @Test
  void theCallbackUrlCarriesAnUnguessableCorrelationId() {
    URI callbackUrl = submit("app-1").callbackUrl();

    assertThat(callbackUrl.getPath()).isEqualTo("/webhooks/valuations");
    assertThat(callbackUrl.getQuery()).matches("correlationId=c-[A-Za-z0-9_-]{22}");
  }

  /** Each callback is a message of its own (its own {@code webhook-id}): the domain sorts them. */
  @Test
  void aRepeatedCallbackResumesOnceAndADifferentResultConflicts() {
    ScriptedValuer.Received request = submit("app-dup");
    String callback = valuation(request.valuationReference(), 300_000);

    RunningApp.Response first = app.postAbs(request.callbackUrl(), callback);
    RunningApp.Response again = app.postAbs(request.callbackUrl(), callback);
    RunningApp.Response different =
        app.postAbs(request.callbackUrl(), valuation(request.valuationReference(), 999_000));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().path("outcome").asText()).isEqualTo("RESUMED");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("outcome").asText()).isEqualTo("DUPLICATE");
    assertThat(different.status()).isEqualTo(409);
    assertThat(different.headers().get("Content-Type")).isEqualTo("application/problem+json");
    JsonNode execution = finished("app-dup").json();
    assertThat(execution.at("/output/valuation/propertyValue").asLong()).isEqualTo(300_000);
    assertThat(count(execution, "TaskSucceeded")).isEqualTo(1);
  }

  /** Each callback is a message of its own (its own {@code webhook-id}): the domain sorts them. */
  @Test
  void identicalCallbacksRacingResumeTheWorkflowExactlyOnce() {
    ScriptedValuer.Received request = submit("app-race");
    String callback = valuation(request.valuationReference(), 310_000);

    List<RunningApp.Response> responses =
        RunningApp.await(
            Future.all(
                    IntStream.range(0, 25)
                        .mapToObj(
                            i ->
                                ScriptedValuer.callBack(
                                    app.client(), request.callbackUrl(), callback))
                        .toList())
                .map(all -> all.<RunningApp.Response>list()));

    assertThat(responses).allSatisfy(response -> assertThat(response.status()).isBetween(200, 299));
    assertThat(responses)
        .filteredOn(response -> response.json().path("outcome").asText().equals("RESUMED"))
        .hasSize(1);
    JsonNode execution = finished("app-race").json();
    assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(count(execution, "TaskSucceeded")).isEqualTo(1);
  }

  @Test
  void aCallbackQuotingAnotherReferenceIsUnknownAndResumesNothing() {
    ScriptedValuer.Received request = submit("app-unknown");

    RunningApp.Response forged =
        app.postAbs(request.callbackUrl(), valuation("val-not-ours", 1_000_000));
    RunningApp.Response withoutCorrelation =
        app.postAbs(
            URI.create(app.url("/webhooks/valuations")),
            valuation(request.valuationReference(), 1_000_000));

    assertThat(forged.status()).isEqualTo(404);
    assertThat(forged.json().path("type").asText())
        .isEqualTo("/problems/unknown-valuation-reference");
    assertThat(withoutCorrelation.status()).isEqualTo(404);
    assertThat(app.get("/loan-applications/app-unknown").json().path("status").asText())
        .isEqualTo("RUNNING");
    assertThat(
            app.postAbs(request.callbackUrl(), valuation(request.valuationReference(), 5_000))
                .status())
        .isEqualTo(200);
    assertThat(finished("app-unknown").json().at("/output/valuation/propertyValue").asLong())
        .isEqualTo(5_000);
  }

  /** Authentic, and valid but for its encoding: JSON travels as UTF-8 (RFC 8259). */
  @Test
  void aSignedCallbackInUtf16IsRefusedAndResumesNothing() {
    ScriptedValuer.Received request = submit("app-utf16");
    String callback = valuation(request.valuationReference(), 250_000);
    byte[] utf16 = callback.getBytes(StandardCharsets.UTF_16);
    Map<String, String> headers =
        new LinkedHashMap<>(
            new WebhookSigner(ScriptedValuer.SECRET, Clock.systemUTC())
                .headers(WebhookSigner.newMessageId(), utf16));
    headers.put("Content-Type", "application/json");

    RunningApp.Response refused =
        app.sendRaw(
            HttpMethod.POST,
            request.callbackUrl().getRawPath() + "?" + request.callbackUrl().getRawQuery(),
            headers,
            utf16);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("type").asText()).isEqualTo("/problems/invalid-request");
    JsonNode execution = app.get("/loan-applications/app-utf16").json();
    assertThat(execution.path("status").asText()).isEqualTo("RUNNING");
    assertThat(count(execution, "TaskSucceeded")).isZero();
    assertThat(app.postAbs(request.callbackUrl(), callback).status()).isEqualTo(200);
    assertThat(finished("app-utf16").json().path("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void aValuerThatNeverCallsBackTimesTheApplicationOutAndALateCallbackIsGone() {
    ScriptedValuer.Received request = submit("app-silent");

    JsonNode execution = finished("app-silent").json();

    assertThat(execution.path("status").asText()).isEqualTo("FAILED");
    assertThat(execution.path("error").asText()).isEqualTo("ValuationServiceTimedOut");
    assertThat(count(execution, "TaskTimedOut")).isEqualTo(1);
    RunningApp.Response late =
        app.postAbs(request.callbackUrl(), valuation(request.valuationReference(), 250_000));
    assertThat(late.status()).isEqualTo(410);
    assertThat(app.get("/loan-applications/app-silent").json().path("error").asText())
        .isEqualTo("ValuationServiceTimedOut");
  }

  @Test
  void aFailureReportFailsTheApplicationWithTheValuersReason() {
    ScriptedValuer.Received request = submit("app-failed");

    RunningApp.Response response =
        app.postAbs(
            request.callbackUrl(),
            "{\"valuationReference\":\""
                + request.valuationReference()
                + "\",\"failed\":true,\"reason\":\"Property could not be accessed\"}");

    assertThat(response.status()).isEqualTo(200);
    JsonNode execution = finished("app-failed").json();
    assertThat(execution.path("status").asText()).isEqualTo("FAILED");
    assertThat(execution.path("error").asText()).isEqualTo("ValuationFailed");
    assertThat(execution.path("cause").asText()).isEqualTo("Property could not be accessed");
  }

  @Test
  void aCallbackThatArrivesBeforeTheValuersReplyIsHeldAndThenResumesTheWorkflow() {
    RunningApp.Response[] early = new RunningApp.Response[1];
    valuer.beforeAnswering(
        request ->
            ScriptedValuer.callBack(
                    app.client(),
                    request.callbackUrl(),
                    valuation(request.valuationReference(), 420_000))
                .onSuccess(response -> early[0] = response));

    submit("app-early");

    assertThat(early[0].status()).isEqualTo(202);
    assertThat(early[0].json().path("outcome").asText()).isEqualTo("HELD_UNTIL_REPLY");
    JsonNode execution = finished("app-early").json();
    assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(execution.at("/output/valuation/propertyValue").asLong()).isEqualTo(420_000);
  }

  @Test
  void anUnavailableValuerIsRetriedWithBackoffThenFailsTheApplication() {
    valuer.answering(503);

    submit("app-unavailable");
    JsonNode execution = finished("app-unavailable").json();

    assertThat(execution.path("status").asText()).isEqualTo("FAILED");
    assertThat(execution.path("error").asText()).isEqualTo("ValuerUnavailable");
    assertThat(execution.path("cause").asText()).contains("503");
    assertThat(valuer.requestCount()).as("first attempt and three retries").isEqualTo(4);
  }
}
