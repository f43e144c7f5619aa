package com.valuationflow.app.mockvaluer;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.CapturedLog;
import com.valuationflow.app.RunningApp;
import com.valuationflow.app.ScriptedValuer;
import com.valuationflow.app.webhook.WebhookSigner;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deliveries against a loopback webhook that answers as each test scripts. */
@ExtendWith(VertxExtension.class)
class CallbackSenderTest {

  /** Scripted in place of a status: accept the request and never answer it. */
  private static final int NO_ANSWER = -1;

  private static final RetrySchedule FAST =
      new RetrySchedule(4, Duration.ofMillis(5), Duration.ofMillis(20));

  private final Deque<Integer> script = new ArrayDeque<>();
  private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
  private HttpServer webhook;
  private WebClient client;
  private CallbackSender sender;

  @BeforeEach
  void start(Vertx vertx) {
    webhook = RunningApp.await(vertx.createHttpServer().requestHandler(this::answer).listen(0));
    client = WebClient.create(vertx);
    sender =
        new CallbackSender(
            vertx,
            client,
            new WebhookSigner(ScriptedValuer.SECRET, new TickingClock()),
            FAST,
            Duration.ofMillis(100));
  }

  @AfterEach
  void stop() {
    client.close();
    RunningApp.await(webhook.close());
  }

  private void answer(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              received.add(
                  Map.of(
                      "id", request.getHeader("webhook-id"),
                      "timestamp", request.getHeader("webhook-timestamp"),
                      "signature", request.getHeader("webhook-signature"),
                      "body", body.toString(StandardCharsets.UTF_8)));
              Integer status;
              synchronized (script) {
                status = script.isEmpty() ? 200 : script.poll();
              }
              if (status != NO_ANSWER) {
                request
                    .response()
                    .setStatusCode(status)
                    .end(
                        status < 300
                            ? "{\"outcome\":\"RESUMED\"}"
                            : "{\"type\":\"/problems/scripted\"}");
              }
            });
  }

  private CallbackSender.Attempt deliver(Integer... statuses) {
    script.addAll(List.of(statuses));
    return RunningApp.await(sender.deliver(message(webhook.actualPort())));
  }

  private static CallbackSender.Message message(int port) {
    return CallbackSender.Message.of(
        URI.create("http://localhost:" + port + "/webhooks/valuations?correlationId=c-1"),
        Map.of("valuationReference", "val-1", "propertyValue", 250_000));
  }

  @Test
  void retriesUntilTheWebhookTakesItWithOneIdSignedAfreshEachTime() {
    CallbackSender.Attempt last = deliver(503, 429, 408);

    assertThat(last).isEqualTo(new CallbackSender.Attempt(4, 200, "RESUMED"));
    assertThat(received).hasSize(4);
    assertThat(received.stream().map(attempt -> attempt.get("id")).distinct()).hasSize(1);
    assertThat(received.stream().map(attempt -> Long.parseLong(attempt.get("timestamp"))))
        .as("re-signed at each attempt")
        .isSorted()
        .doesNotHaveDuplicates();
    WebhookSigner verifier = new WebhookSigner(ScriptedValuer.SECRET, Clock.systemUTC());
    assertThat(received)
        .allSatisfy(
            attempt ->
                assertThat(attempt.get("signature"))
                    .isEqualTo(
                        verifier.signature(
                            attempt.get("id"),
                            Long.parseLong(attempt.get("timestamp")),
                            attempt.get("body").getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void anUnansweredAttemptTimesOutAndIsRetried() {
    CallbackSender.Attempt last = deliver(NO_ANSWER);

    assertThat(last.number()).isEqualTo(2);
    assertThat(last.delivered()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 404, 409, 410, 422})
  void aRefusalOtherThan408Or429IsFinal(int status) {
    CallbackSender.Attempt last = deliver(status);

    assertThat(last.number()).isEqualTo(1);
    assertThat(last.status()).isEqualTo(status);
    assertThat(received).hasSize(1);
  }

  @Test
  void givesUpAfterTheLastAttemptAndSaysSoWithoutTheSecret() {
    try (CapturedLog log = CapturedLog.of(CallbackSender.class)) {
      CallbackSender.Attempt last = deliver(500, 502, 503, 504, 200);

      assertThat(last).isEqualTo(new CallbackSender.Attempt(4, 504, "/problems/scripted"));
      assertThat(received).hasSize(FAST.attempts());
      assertThat(log.messages())
          .filteredOn(message -> message.contains(" failed: HTTP 50"))
          .hasSize(3);
      assertThat(log.messages())
          .last()
          .asString()
          .startsWith("Mock valuer gave up delivering msg_")
          .endsWith("after 4 attempt(s): HTTP 504 /problems/scripted");
      assertThat(String.join("\n", log.messages()))
          .doesNotContain(ScriptedValuer.SECRET_TEXT.substring(6))
          .doesNotContain("v1,");
    }
  }

  @Test
  void aRefusedConnectionIsRetriedUntilTheBound(Vertx vertx) {
    HttpServer gone =
        RunningApp.await(vertx.createHttpServer().requestHandler(this::answer).listen(0));
    int closedPort = gone.actualPort();
    RunningApp.await(gone.close());

    CallbackSender.Attempt last = RunningApp.await(sender.deliver(message(closedPort)));

    assertThat(last.number()).isEqualTo(FAST.attempts());
    assertThat(last.status()).isZero();
  }

  @Test
  void onceClosedItStartsNoFurtherAttempts() {
    sender.close();

    CallbackSender.Attempt last = deliver(503);

    assertThat(last.number()).isEqualTo(1);
    assertThat(received).hasSize(1);
  }

  /** A clock one second further on at each reading, so that every signature has its own time. */
  private static final class TickingClock extends Clock {

    private final AtomicLong seconds = new AtomicLong(Instant.now().getEpochSecond());

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds.getAndIncrement());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
