package com.valuationflow.infra;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.valuationflow.app.webhook.StandardWebhooks;
import com.valuationflow.app.webhook.WebhookRejectedException;
import com.valuationflow.app.webhook.WebhookSecrets;
import com.valuationflow.app.webhook.WebhookVerifier;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A webhook on a loopback port that checks every callback with the app's own {@link
 * WebhookVerifier} under the given {@code whsec_} secret, answers {@code 401} to one it rejects,
 * and otherwise answers the next scripted status ({@code 200} when none is left).
 */
final class SignedWebhookReceiver implements AutoCloseable {

  static final String PATH = "/webhooks/valuations";

  /**
   * One request as received and answered.
   *
   * @param rejection why the verifier rejected it, or {@code null} if it accepted it
   * @param answeredAt when it was answered, just before the answer was sent
   */
  record Delivery(
      String id,
      String timestamp,
      String signature,
      String contentType,
      byte[] body,
      int status,
      String rejection,
      Instant answeredAt) {

    boolean verified() {
      return rejection == null;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final WebhookVerifier verifier;
  private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final HttpServer server;
  private volatile Duration answerDelay = Duration.ZERO;

  SignedWebhookReceiver(String webhookSecret) {
    verifier =
        new WebhookVerifier(
            WebhookSecrets.parse(webhookSecret),
            WebhookVerifier.DEFAULT_TOLERANCE,
            Clock.systemUTC());
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(PATH, this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A callback URL as the loan processor hands out. */
  String callbackUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH + "?correlationId=c-test";
  }

  /** The statuses of the next authentic callbacks, in order. */
  SignedWebhookReceiver answering(Integer... statuses) {
    script.addAll(List.of(statuses));
    return this;
  }

  /** How long it holds each answer back. */
  SignedWebhookReceiver answeringAfter(Duration delay) {
    answerDelay = delay;
    return this;
  }

  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  void reset() {
    script.clear();
    deliveries.clear();
    answerDelay = Duration.ZERO;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String id = exchange.getRequestHeaders().getFirst(StandardWebhooks.ID);
      String timestamp = exchange.getRequestHeaders().getFirst(StandardWebhooks.TIMESTAMP);
      String signature = exchange.getRequestHeaders().getFirst(StandardWebhooks.SIGNATURE);
      String rejection = null;
      int status;
      Map<String, Object> answer;
      try {
        verifier.verify(id, timestamp, signature, body);
        Integer scripted = script.poll();
        status = scripted == null ? 200 : scripted;
        answer =
            status / 100 == 2
                ? Map.of("outcome", status == 200 ? "RESUMED" : "HELD_UNTIL_REPLY")
                : Map.of("type", "/problems/scripted-" + status, "status", status);
      } catch (WebhookRejectedException e) {
        rejection = e.getMessage();
        status = 401;
        answer = Map.of("type", "/problems/invalid-signature", "status", 401);
      }
      sleep(answerDelay);
      // Recorded before the answer leaves, so that whoever got the answer finds it recorded.
      deliveries.add(
          new Delivery(
              id,
              timestamp,
              signature,
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body,
              status,
              rejection,
              Instant.now()));
      byte[] bytes = Definitions.MAPPER.writeValueAsBytes(answer);
      exchange
          .getResponseHeaders()
          .set("Content-Type", status / 100 == 2 ? "application/json" : "application/problem+json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static void sleep(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
