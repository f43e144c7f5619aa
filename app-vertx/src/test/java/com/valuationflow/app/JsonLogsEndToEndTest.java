package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.webhook.StandardWebhooks;
import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.app.webhook.WebhookSecrets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scenarios' flows with the log written as {@code LOG_FORMAT=json} writes it: each line a JSON
 * object with the application's reference and the {@code webhook-id} as fields, one {@code INFO}
 * line per step of an application however often its callback is delivered, and no secret,
 * correlation key, task token or signature anywhere.
 */
@ExtendWith(VertxExtension.class)
class JsonLogsEndToEndTest {

  private static final WebhookSecret FORGER =
      WebhookSecret.parse("whsec_15+v8EyTj/p+h8ubdd7vl+zwxca0R4qSr+yFuj198I0=");

  private JsonLogCapture logs;
  private ScriptedValuer valuer;
  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    logs = JsonLogCapture.begin();
    logs.secret(ScriptedValuer.SECRET_TEXT);
    logs.secret(ScriptedValuer.SECRET_TEXT.substring("whsec_".length()));
    valuer = ScriptedValuer.start(vertx);
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withWebhookSecrets(WebhookSecrets.of(ScriptedValuer.SECRET))
                .withValuerUrl(valuer.url())
                .withTimeCompressedTo(Duration.ofMillis(10), Duration.ofSeconds(200)));
  }

  @AfterEach
  void stop() {
    app.close();
    valuer.close();
    logs.close();
  }

  @Test
  void everyFlowLogsJsonLinesWithoutSecretsKeysTokensOrSignatures() {
    ScriptedValuer.Received resumed = submit("app-ok");
    String valuation = valuation(resumed, 250_000);
    assertThat(callBack(resumed, "msg_ok_1", valuation, ScriptedValuer.SECRET).status())
        .isEqualTo(200);
    assertThat(callBack(resumed, "msg_ok_1", valuation, ScriptedValuer.SECRET).status())
        .isEqualTo(200);
    assertThat(callBack(resumed, "msg_ok_2", valuation, ScriptedValuer.SECRET).status())
        .isEqualTo(200);
    assertThat(callBack(resumed, "msg_ok_3", valuation(resumed, 1), ScriptedValuer.SECRET).status())
        .isEqualTo(409);
    assertThat(callBack(resumed, "msg_forged", valuation, FORGER).status()).isEqualTo(401);
    ScriptedValuer.Received failed = submit("app-failed");
    assertThat(
            callBack(
                    failed,
                    "msg_failed",
                    "{\"valuationReference\":\""
                        + failed.valuationReference()
                        + "\",\"failed\":true,\"reason\":\"No access\"}",
                    ScriptedValuer.SECRET)
                .status())
        .isEqualTo(200);
    ScriptedValuer.Received late = submit("app-late");
    app.awaitApplication("app-late", status -> !status.equals("RUNNING"));
    assertThat(callBack(late, "msg_late", valuation(late, 1), ScriptedValuer.SECRET).status())
        .isEqualTo(410);
    valuer.answering(503);
    app.post("/loan-applications", loan("app-unavailable"));
    app.awaitApplication("app-unavailable", status -> !status.equals("RUNNING"));
    app.awaitApplication("app-ok", "SUCCEEDED"::equals);

    logs.assertCleanJsonLines();
    List<JsonNode> info = linesOf("app-ok", "INFO");
    assertThat(info)
        .as("one INFO line per step, though its callback came four times: %s", info)
        .extracting(line -> line.path("logger").asText())
        .containsExactly(
            "com.valuationflow.domain.usecase.SubmitLoanApplication",
            "com.valuationflow.domain.usecase.RequestValuation",
            "com.valuationflow.domain.usecase.HandleValuationCallback");
    assertThat(info.get(2).path("webhookId").asText()).isEqualTo("msg_ok_1");
  }

  @Test
  void concurrentCallbacksEachLogTheirOwnFieldsAndNoneLeaks() {
    List<ScriptedValuer.Received> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(submit("app-" + i));
    }
    List<Future<RunningApp.Response>> answers = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      ScriptedValuer.Received request = requests.get(i);
      String body = valuation(request, 100_000 + i);
      Map<String, String> headers =
          ScriptedValuer.signed(ScriptedValuer.SECRET, "msg_app-" + i, body);
      logs.signatures(headers.get(StandardWebhooks.SIGNATURE));
      answers.add(ScriptedValuer.callBack(app.client(), request.callbackUrl(), body, headers));
      answers.add(ScriptedValuer.callBack(app.client(), request.callbackUrl(), body, headers));
    }
    answers.forEach(answer -> assertThat(RunningApp.await(answer).status()).isIn(200, 202));
    for (int i = 0; i < requests.size(); i++) {
      app.awaitApplication("app-" + i, "SUCCEEDED"::equals);
    }

    logs.assertCleanJsonLines();
    List<JsonNode> lines = logs.parsed();
    assertThat(lines)
        .filteredOn(line -> line.has("webhookId") && line.has("applicationReference"))
        .as("lines of a callback")
        .hasSizeGreaterThanOrEqualTo(8)
        .allSatisfy(
            line ->
                assertThat(line.path("webhookId").asText())
                    .isEqualTo("msg_" + line.path("applicationReference").asText()));
    assertThat(lines)
        .filteredOn(line -> !line.path("logger").asText().contains("HandleValuationCallback"))
        .filteredOn(line -> line.path("logger").asText().startsWith("com.valuationflow.domain"))
        .as("lines of no callback")
        .isNotEmpty()
        .noneMatch(line -> line.has("webhookId"));
  }

  private List<JsonNode> linesOf(String reference, String level) {
    return logs.parsed().stream()
        .filter(line -> line.path("applicationReference").asText().equals(reference))
        .filter(line -> line.path("level").asText().equals(level))
        .toList();
  }

  private ScriptedValuer.Received submit(String reference) {
    assertThat(app.post("/loan-applications", loan(reference)).status()).isEqualTo(202);
    ScriptedValuer.Received request = valuer.nextRequest();
    logs.secret(request.callbackUrl().getQuery().replace("correlationId=", ""));
    app.awaitApplication(
        reference, status -> true, execution -> count(execution, "TaskSubmitted") == 1);
    return request;
  }

  private RunningApp.Response callBack(
      ScriptedValuer.Received request, String id, String body, WebhookSecret secret) {
    Map<String, String> headers = ScriptedValuer.signed(secret, id, body);
    logs.signatures(headers.get(StandardWebhooks.SIGNATURE));
    return app.postAbs(request.callbackUrl(), body, headers);
  }

  private static String valuation(ScriptedValuer.Received request, long value) {
    return "{\"valuationReference\":\""
        + request.valuationReference()
        + "\",\"propertyValue\":"
        + value
        + "}";
  }

  private static String loan(String reference) {
    return "{\"applicationReference\":\""
        + reference
        + "\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}";
  }

  private static long count(JsonNode execution, String eventType) {
    return StreamSupport.stream(execution.path("history").spliterator(), false)
        .filter(event -> event.path("type").asText().equals(eventType))
        .count();
  }
}
