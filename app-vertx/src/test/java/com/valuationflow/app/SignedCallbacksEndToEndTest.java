package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.app.webhook.WebhookSecrets;
import com.valuationflow.app.webhook.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The webhook accepts only callbacks signed the Standard Webhooks way with a configured secret, and
 * answers a repeated {@code webhook-id} as it answered it first. The app runs mid-rotation: it
 * accepts the tests' secret and an older one.
 */
@ExtendWith(VertxExtension.class)
class SignedCallbacksEndToEndTest {

  private static final WebhookSecret OLD_SECRET =
      WebhookSecret.parse("whsec_15+v8EyTj/p+h8ubdd7vl+zwxca0R4qSr+yFuj198I0=");

  private ScriptedValuer valuer;
  private RunningApp app;
  private ScriptedValuer.Received request;
  private String callback;

  @BeforeEach
  void start(Vertx vertx) {
    valuer = ScriptedValuer.start(vertx);
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withWebhookSecrets(WebhookSecrets.of(ScriptedValuer.SECRET, OLD_SECRET))
                .withValuerUrl(valuer.url())
                .withTimeCompressedTo(Duration.ofMillis(10), Duration.ofSeconds(1000)));
    app.post(
        "/loan-applications",
        "{\"applicationReference\":\"app-ref\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}");
    request = valuer.nextRequest();
    app.awaitApplication(
        "app-ref", status -> true, execution -> count(execution, "TaskSubmitted") == 1);
    callback =
        "{\"valuationReference\":\""
            + request.valuationReference()
            + "\",\"propertyValue\":250000}";
  }

  @AfterEach
  void stop() {
    app.close();
    valuer.close();
  }

  private static long count(JsonNode execution, String eventType) {
    return StreamSupport.stream(execution.path("history").spliterator(), false)
        .filter(event -> event.path("type").asText().equals(eventType))
        .count();
  }

  private RunningApp.Response send(Map<String, String> headers) {
    return send(callback, headers);
  }

  private RunningApp.Response send(String body, Map<String, String> headers) {
    return app.postAbs(request.callbackUrl(), body, headers);
  }

  private void assertRefused(RunningApp.Response response, String problemType) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.json().path("type").asText()).isEqualTo(problemType);
    assertThat(response.text())
        .doesNotContain(ScriptedValuer.SECRET_TEXT.substring(6))
        .doesNotContain("vfwt1.");
    assertThat(app.get("/loan-applications/app-ref").json().path("status").asText())
        .as("nothing resumed")
        .isEqualTo("RUNNING");
  }

  private void assertResumedBy(RunningApp.Response response) {
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("outcome").asText()).isEqualTo("RESUMED");
    assertThat(
            app.awaitApplication("app-ref", status -> !status.equals("RUNNING"))
                .json()
                .at("/output/valuation/propertyValue")
                .asLong())
        .isEqualTo(250_000);
  }

  @Test
  void anUnsignedCallbackIsRefusedAndResumesNothing() {
    assertRefused(send(Map.of()), "/problems/invalid-signature");
    assertRefused(
        send(Map.of("webhook-id", "msg_1", "webhook-timestamp", "1700000000")),
        "/problems/invalid-signature");

    assertResumedBy(app.postAbs(request.callbackUrl(), callback));
  }

  @Test
  void aCallbackSignedWithAnotherSecretIsRefused() {
    assertRefused(
        send(ScriptedValuer.signed(WebhookSecret.generate(), "msg_forged", callback)),
        "/problems/invalid-signature");
  }

  @Test
  void aCallbackWhoseBodyWasChangedAfterSigningIsRefused() {
    Map<String, String> signedForAnotherValue =
        ScriptedValuer.signed(ScriptedValuer.SECRET, "msg_1", callback.replace("250000", "1"));

    assertRefused(send(signedForAnotherValue), "/problems/invalid-signature");
    assertRefused(
        send(
            callback.replace(":", ": "),
            ScriptedValuer.signed(ScriptedValuer.SECRET, "msg_2", callback)),
        "/problems/invalid-signature");
  }

  @Test
  void callbacksSignedTooLongAgoOrInTheFutureAreRefusedAsReplays() {
    Clock tenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
    Clock inTenMinutes = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));

    assertRefused(
        send(ScriptedValuer.signed(ScriptedValuer.SECRET, "msg_old", callback, tenMinutesAgo)),
        "/problems/stale-timestamp");
    assertRefused(
        send(ScriptedValuer.signed(ScriptedValuer.SECRET, "msg_new", callback, inTenMinutes)),
        "/problems/stale-timestamp");
  }

  @Test
  void whileRotatingTheOldSecretIsStillAccepted() {
    assertResumedBy(send(ScriptedValuer.signed(OLD_SECRET, "msg_old_secret", callback)));
  }

  @Test
  void theSameWebhookIdAgainGetsTheSameAnswerAndIsNotProcessedAgain() {
    String id = WebhookSigner.newMessageId();

    RunningApp.Response first = send(ScriptedValuer.signed(ScriptedValuer.SECRET, id, callback));
    RunningApp.Response retried = send(ScriptedValuer.signed(ScriptedValuer.SECRET, id, callback));
    RunningApp.Response newMessage = app.postAbs(request.callbackUrl(), callback);

    assertResumedBy(first);
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.text())
        .as("processed again, the domain would answer DUPLICATE")
        .isEqualTo(first.text());
    assertThat(newMessage.json().path("outcome").asText()).isEqualTo("DUPLICATE");
  }

  @Test
  void theSameWebhookIdWithAnotherBodyIsRefusedAsReusedAndChangesNothing() {
    String id = WebhookSigner.newMessageId();
    RunningApp.Response first = send(ScriptedValuer.signed(ScriptedValuer.SECRET, id, callback));
    String otherValue = callback.replace("250000", "1");

    RunningApp.Response reused =
        send(otherValue, ScriptedValuer.signed(ScriptedValuer.SECRET, id, otherValue));

    assertResumedBy(first);
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(reused.json().path("type").asText()).isEqualTo("/problems/webhook-id-reused");
    assertThat(send(ScriptedValuer.signed(ScriptedValuer.SECRET, id, callback)).text())
        .isEqualTo(first.text());
    assertThat(
            app.get("/loan-applications/app-ref")
                .json()
                .at("/output/valuation/propertyValue")
                .asLong())
        .isEqualTo(250_000);
  }

  @Test
  void aWebhookIdFirstUsedForAnotherApplicationIsRefusedAndTheWaitingOneIsUntouched() {
    String id = WebhookSigner.newMessageId();
    RunningApp.Response other =
        app.postAbs(
            app.webhookUrl("c-AAAAAAAAAAAAAAAAAAAAAA"),
            callback,
            ScriptedValuer.signed(ScriptedValuer.SECRET, id, callback));

    RunningApp.Response reused = send(ScriptedValuer.signed(ScriptedValuer.SECRET, id, callback));

    assertThat(other.status()).isEqualTo(404);
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.json().path("type").asText()).isEqualTo("/problems/webhook-id-reused");
    assertThat(app.get("/loan-applications/app-ref").json().path("status").asText())
        .isEqualTo("RUNNING");
    assertResumedBy(app.postAbs(request.callbackUrl(), callback));
  }

  @Test
  void aFinalRefusalIsAnsweredAlikeToItsRepeats() {
    String id = WebhookSigner.newMessageId();
    String unknown = callback.replace(request.valuationReference(), "val-unknown");

    RunningApp.Response first =
        send(unknown, ScriptedValuer.signed(ScriptedValuer.SECRET, id, unknown));
    RunningApp.Response again =
        send(unknown, ScriptedValuer.signed(ScriptedValuer.SECRET, id, unknown));

    assertThat(first.status()).isEqualTo(404);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.text()).isEqualTo(first.text());
  }

  @Test
  void deliveriesOfOneMessageRacingAreProcessedOnce() {
    String id = WebhookSigner.newMessageId();

    List<RunningApp.Response> responses =
        RunningApp.await(
            Future.all(
                    IntStream.range(0, 25)
                        .mapToObj(
                            i ->
                                ScriptedValuer.callBack(
                                    app.client(),
                                    request.callbackUrl(),
                                    callback,
                                    ScriptedValuer.signed(ScriptedValuer.SECRET, id, callback)))
                        .toList())
                .map(all -> all.<RunningApp.Response>list()));

    assertThat(responses)
        .allSatisfy(
            response -> {
              assertThat(response.status()).isEqualTo(200);
              assertThat(response.json().path("outcome").asText()).isEqualTo("RESUMED");
            });
    JsonNode execution =
        app.awaitApplication("app-ref", status -> !status.equals("RUNNING")).json();
    assertThat(count(execution, "TaskSucceeded")).isEqualTo(1);
  }

  @Test
  void aRefusedDeliveryDoesNotUseUpItsWebhookId() {
    String id = WebhookSigner.newMessageId();

    assertRefused(
        send(ScriptedValuer.signed(WebhookSecret.generate(), id, callback)),
        "/problems/invalid-signature");

    assertResumedBy(send(ScriptedValuer.signed(ScriptedValuer.SECRET, id, callback)));
  }
}
