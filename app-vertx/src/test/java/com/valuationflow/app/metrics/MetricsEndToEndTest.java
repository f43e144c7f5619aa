package com.valuationflow.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.AppConfig;
import com.valuationflow.app.RunningApp;
import com.valuationflow.app.ScriptedValuer;
import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.app.webhook.WebhookSecrets;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scripted flow through the app and its own mock valuer, then a scrape of {@code /metrics} on the
 * management port: every callback outcome and every application counted exactly. The scrape is kept
 * in {@code app-vertx/target/metrics-scrape.txt}.
 */
class MetricsEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String DELIVERED =
      "valuationflow_mock_valuer_deliveries_total{result=\"delivered\"}";
  private static final String REFUSED =
      "valuationflow_mock_valuer_deliveries_total{result=\"refused\"}";

  private Vertx vertx;
  private RunningApp app;
  private String lastScrape;

  @BeforeEach
  void start() {
    PrometheusMeterRegistry registry = VertxMetrics.newRegistry();
    vertx = VertxMetrics.newVertx(new VertxOptions(), registry);
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withWebhookSecrets(WebhookSecrets.of(ScriptedValuer.SECRET))
                .withValuerDelay(Duration.ofMillis(30))
                .withTimeCompressedTo(Duration.ofMillis(10), Duration.ofSeconds(300)),
            Clock.systemUTC(),
            registry);
  }

  @AfterEach
  void stop() {
    app.close();
    RunningApp.await(vertx.close());
  }

  @Test
  void aScriptedFlowIsCountedExactly() throws IOException {
    submit("app-ref", "999");
    submit("dup-1", "Duplicate response");
    submit("late-1", "Late callback");
    submit("early-1", "Early callback");
    submit("unknown-1", "Unknown reference");
    URI webhook = app.webhookUrl("c-AAAAAAAAAAAAAAAAAAAAAA");
    String body = "{\"valuationReference\":\"V-1\",\"propertyValue\":1}";
    WebhookSecret forger =
        WebhookSecret.parse("whsec_" + Base64.getEncoder().encodeToString(new byte[32]));
    assertThat(
            app.postAbs(webhook, body, ScriptedValuer.signed(forger, "msg_forged", body)).status())
        .isEqualTo(401);
    Clock tenMinutesAgo = Clock.fixed(Instant.now().minusSeconds(600), ZoneOffset.UTC);
    assertThat(
            app.postAbs(
                    webhook,
                    body,
                    ScriptedValuer.signed(ScriptedValuer.SECRET, "msg_stale", body, tenMinutesAgo))
                .status())
        .isEqualTo(401);
    assertThat(app.postAbs(webhook, "{\"propertyValue\":\"lots\"}").status()).isEqualTo(400);
    String other = "{\"valuationReference\":\"V-2\",\"propertyValue\":2}";
    assertThat(app.postAbs(webhook, body, signed("msg_reused", body)).status()).isEqualTo(404);
    assertThat(app.postAbs(webhook, body, signed("msg_reused", body)).status()).isEqualTo(404);
    assertThat(app.postAbs(webhook, other, signed("msg_reused", other)).status()).isEqualTo(422);
    assertThat(app.get("/no/such/path-12345").status()).isEqualTo(404);

    app.awaitApplication("app-ref", "SUCCEEDED"::equals);
    app.awaitApplication("dup-1", "SUCCEEDED"::equals);
    app.awaitApplication("early-1", "SUCCEEDED"::equals);
    app.awaitApplication("late-1", "FAILED"::equals);
    app.awaitApplication("unknown-1", "FAILED"::equals);
    // The mock valuer counts a delivery once the webhook answered it: then all is counted.
    Map<String, Double> metrics =
        scrapeWhen(
            samples ->
                samples.getOrDefault(DELIVERED, 0.0) + samples.getOrDefault(REFUSED, 0.0) == 7);
    // The unknown reference's callback may reach the webhook before the valuer's reply reaches the
    // app (a busy machine): it is then held (202, delivered) rather than refused as unknown (404).
    double raced = 2.0 - metrics.get(REFUSED);
    assertThat(raced).as("unknown-reference callbacks held before the reply").isIn(0.0, 1.0);

    Map<String, Double> callbacks = new LinkedHashMap<>();
    for (String outcome :
        new String[] {
          "resumed",
          "duplicate",
          "duplicate_in_progress",
          "held_until_reply",
          "conflict",
          "late",
          "unknown",
          "invalid_signature",
          "stale_timestamp",
          "invalid_body",
          "redelivered",
          "webhook_id_reused"
        }) {
      callbacks.put(
          outcome, metrics.get("valuationflow_callbacks_total{outcome=\"" + outcome + "\"}"));
    }
    assertThat(callbacks)
        .containsExactly(
            Map.entry("resumed", 2.0),
            Map.entry("duplicate", 0.0),
            Map.entry("duplicate_in_progress", 0.0),
            Map.entry("held_until_reply", 1.0 + raced),
            Map.entry("conflict", 0.0),
            Map.entry("late", 1.0),
            Map.entry("unknown", 2.0 - raced),
            Map.entry("invalid_signature", 1.0),
            Map.entry("stale_timestamp", 1.0),
            Map.entry("invalid_body", 1.0),
            Map.entry("redelivered", 3.0),
            Map.entry("webhook_id_reused", 1.0));
    assertThat(metrics)
        .containsEntry("valuationflow_applications_submitted_total{outcome=\"started\"}", 5.0)
        .containsEntry(
            "valuationflow_applications_finished_total{error=\"\",status=\"succeeded\"}", 3.0)
        .containsEntry(
            "valuationflow_applications_finished_total{error=\"ValuationServiceTimedOut\",status=\"failed\"}",
            2.0)
        .containsEntry("valuationflow_tasks_waiting", 0.0)
        .containsEntry(
            "valuationflow_mock_valuer_attempts_total{result=\"delivered\"}", 5.0 + raced)
        .containsEntry("valuationflow_mock_valuer_attempts_total{result=\"refused\"}", 2.0 - raced)
        .containsEntry("valuationflow_mock_valuer_retries_total", 0.0)
        .containsEntry("valuationflow_valuation_turnaround_seconds_count", 5.0)
        .containsEntry("valuationflow_callback_resume_seconds_count", 2.0)
        .containsEntry(
            "vertx_http_server_requests_total{code=\"202\",method=\"POST\",route=\"/loan-applications\"}",
            5.0);
    Files.writeString(Path.of("target", "metrics-scrape.txt"), lastScrape);
    assertThat(lastScrape)
        .as("no label carries a raw path or an application reference")
        .doesNotContain("path-12345")
        .doesNotContain("app-ref")
        .doesNotContain("correlationId");
  }

  private static Map<String, String> signed(String webhookId, String body) {
    return ScriptedValuer.signed(ScriptedValuer.SECRET, webhookId, body);
  }

  private void submit(String reference, String nameOrNumber) {
    assertThat(
            app.post(
                    "/loan-applications",
                    "{\"applicationReference\":\""
                        + reference
                        + "\",\"property\":{\"nameOrNumber\":\""
                        + nameOrNumber
                        + "\",\"postcode\":\"PO1 1CE\"}}")
                .status())
        .isEqualTo(202);
  }

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][\\w:]*(?:\\{[^}]*\\})?) (\\S+)$");

  /** The scrape's samples, name and labels to value, once they satisfy the condition. */
  private Map<String, Double> scrapeWhen(Predicate<Map<String, Double>> ready) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      RunningApp.Response response = app.management("/metrics");
      assertThat(response.status()).isEqualTo(200);
      Map<String, Double> samples = new LinkedHashMap<>();
      for (String line : response.text().split("\n")) {
        Matcher sample = SAMPLE.matcher(line);
        if (sample.matches()) {
          samples.put(sample.group(1), Double.parseDouble(sample.group(2)));
        }
      }
      if (ready.test(samples)) {
        lastScrape = response.text();
        return samples;
      }
      assertThat(Instant.now()).as("metrics as expected; last: %s", samples).isBefore(deadline);
      RunningApp.await(vertx.timer(20));
    }
  }
}
