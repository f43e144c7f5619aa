package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.mockvaluer.CallbackSender;
import com.valuationflow.app.mockvaluer.RetrySchedule;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mock valuer reaches the webhook through a gateway on {@code PUBLIC_BASE_URL} that is down for
 * a while (connections refused), then loses the webhook's first answer and answers {@code 503}
 * once: the retried callback still gets through, and the use case runs once.
 */
@ExtendWith(VertxExtension.class)
class WebhookOutageEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private Vertx vertx;
  private int gatewayPort;
  private HttpServer gateway;
  private WebClient client;
  private RunningApp app;
  private final AtomicInteger gatewayRequests = new AtomicInteger();
  private final List<String> webhookIds = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    HttpServer reserved =
        RunningApp.await(
            vertx
                .createHttpServer()
                .requestHandler(request -> request.response().end())
                .listen(0, "127.0.0.1"));
    gatewayPort = reserved.actualPort();
    RunningApp.await(reserved.close());
    client = WebClient.create(vertx);
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withPublicBaseUrl(URI.create("http://127.0.0.1:" + gatewayPort))
                .withValuerDelay(Duration.ofMillis(10))
                .withTimeCompressedTo(Duration.ofMillis(10), Duration.ofSeconds(500))
                .withMockValuerRetries(
                    new RetrySchedule(12, Duration.ofMillis(20), Duration.ofMillis(160))));
  }

  @AfterEach
  void stop() {
    app.close();
    client.close();
    if (gateway != null) {
      RunningApp.await(gateway.close());
    }
  }

  @Test
  void noCallbackIsLostWhileTheWebhookIsDownAndTheUseCaseRunsOnce() {
    try (CapturedLog deliveries = CapturedLog.of(CallbackSender.class);
        CapturedLog useCase = CapturedLog.of(HandleValuationCallback.class)) {
      app.post(
          "/loan-applications",
          "{\"applicationReference\":\"app-ref\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}");

      awaitMessages(deliveries, message -> message.contains(" failed: Connection refused"), 2);
      gateway =
          RunningApp.await(
              vertx
                  .createHttpServer()
                  .requestHandler(this::relay)
                  .listen(gatewayPort, "127.0.0.1"));
      JsonNode execution =
          app.awaitApplication("app-ref", status -> !status.equals("RUNNING")).json();

      List<String> delivered =
          awaitMessages(deliveries, message -> message.startsWith("Mock valuer delivered"), 1);

      assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(
              StreamSupport.stream(execution.path("history").spliterator(), false)
                  .filter(event -> event.path("type").asText().equals("TaskSucceeded")))
          .hasSize(1);
      assertThat(useCase.messages())
          .as("the use case ran once: run again, it would have answered DUPLICATE")
          .noneMatch(message -> message.startsWith("Callback for valuation"));
      assertThat(delivered).singleElement(STRING).endsWith(": HTTP 200 RESUMED");
      assertThat(deliveries.messages())
          .filteredOn(message -> message.contains(" failed: "))
          .as("refused at least twice, then 502 and 503")
          .hasSizeGreaterThanOrEqualTo(4)
          .anySatisfy(message -> assertThat(message).contains(" failed: HTTP 502"))
          .anySatisfy(message -> assertThat(message).contains(" failed: HTTP 503"));
      assertThat(gatewayRequests).hasValue(3);
      assertThat(webhookIds)
          .as("one message, one webhook-id")
          .hasSize(3)
          .containsOnly(webhookIds.get(0));
    }
  }

  /**
   * The first request reaches the webhook but its answer is lost (502); the second finds the
   * webhook busy (503); later ones go through.
   */
  private void relay(HttpServerRequest request) {
    int number = gatewayRequests.incrementAndGet();
    webhookIds.add(request.getHeader("webhook-id"));
    Future<Answer> answer =
        switch (number) {
          case 1 ->
              request.body().compose(body -> forward(request, body)).map(lost -> Answer.of(502));
          case 2 -> Future.succeededFuture(Answer.of(503));
          default -> request.body().compose(body -> forward(request, body)).map(Answer::of);
        };
    answer.onSuccess(reply -> request.response().setStatusCode(reply.status()).end(reply.body()));
  }

  private record Answer(int status, Buffer body) {
    static Answer of(int status) {
      return new Answer(status, Buffer.buffer());
    }

    static Answer of(HttpResponse<Buffer> response) {
      Buffer body = response.bodyAsBuffer();
      return new Answer(response.statusCode(), body == null ? Buffer.buffer() : body);
    }
  }

  private Future<HttpResponse<Buffer>> forward(HttpServerRequest request, Buffer body) {
    HttpRequest<Buffer> copy = client.postAbs(app.url(request.uri()));
    request.headers().names().stream()
        .filter(
            name ->
                name.equalsIgnoreCase("Content-Type")
                    || name.toLowerCase(Locale.ROOT).startsWith("webhook-"))
        .forEach(name -> copy.putHeader(name, request.getHeader(name)));
    return copy.sendBuffer(body);
  }

  private List<String> awaitMessages(CapturedLog log, Predicate<String> matching, int count) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      List<String> found = log.messages().stream().filter(matching).toList();
      if (found.size() >= count) {
        return found;
      }
      assertThat(Instant.now())
          .as("%d matching log messages; got %s", count, found)
          .isBefore(deadline);
      RunningApp.await(vertx.timer(5, TimeUnit.MILLISECONDS));
    }
  }
}
