package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.app.webhook.WebhookSigner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A third-party valuer over real HTTP that calls back once per valuation: it values the property at
 * {@code 100000 + 1000 * nameOrNumber}, answers the request with a new reference, and after a
 * random delay posts one signed callback. It tries again only while it gets no answer at all
 * (connection refused or reset, the app killed mid-request) or {@code 503} (the app starting), each
 * attempt a new message with a new {@code webhook-id}; the first answer the webhook gives is final,
 * {@code 202 DUPLICATE_IN_PROGRESS} included. So a callback the webhook accepted is never brought
 * again: if its task is resumed, the app did it alone.
 */
final class OnceCallingValuer implements AutoCloseable {

  /** The first answer the webhook gave a valuation's callback, and how many attempts it took. */
  record Delivery(int status, String outcome, int attempts) {}

  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(90);
  private static final Duration RETRY_DELAY = Duration.ofMillis(150);

  private final HttpServer server;
  private final Supplier<String> webhookSecret;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(8);
  private final AtomicInteger references = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Long> values = new ConcurrentHashMap<>();
  private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();

  OnceCallingValuer(Supplier<String> webhookSecret) throws IOException {
    this.webhookSecret = webhookSecret;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/valuations", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/valuations");
  }

  static long valueOf(int nameOrNumber) {
    return 100_000L + 1_000L * nameOrNumber;
  }

  /** The value given for the property, once asked. */
  Long value(String nameOrNumber) {
    return values.get(nameOrNumber);
  }

  /** The callback's final delivery for the property, once it has one. */
  Delivery delivery(String nameOrNumber) {
    return deliveries.get(nameOrNumber);
  }

  Map<String, Delivery> deliveries() {
    return Map.copyOf(deliveries);
  }

  /** How many callbacks are on the wire right now, sent and not answered. */
  int inFlight() {
    return inFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    JsonNode request = AppAgainstLocalDeployment.MAPPER.readTree(exchange.getRequestBody());
    String nameOrNumber = request.path("property").path("nameOrNumber").asText();
    URI callbackUrl = URI.create(request.path("callbackUrl").asText());
    String reference = "once-" + references.incrementAndGet();
    long value = valueOf(Integer.parseInt(nameOrNumber));
    values.put(nameOrNumber, value);
    byte[] message =
        AppAgainstLocalDeployment.MAPPER
            .createObjectNode()
            .put("valuationReference", reference)
            .put("propertyValue", value)
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    timers.schedule(
        () -> deliver(nameOrNumber, callbackUrl, message, Instant.now().plus(GIVE_UP_AFTER), 1),
        ThreadLocalRandom.current().nextLong(100, 1_200),
        TimeUnit.MILLISECONDS);
    byte[] body =
        ("{\"valuationReference\":\"" + reference + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(202, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private void deliver(
      String nameOrNumber, URI url, byte[] message, Instant giveUpAt, int attempt) {
    WebhookSigner signer =
        new WebhookSigner(WebhookSecret.parse(webhookSecret.get()), Clock.systemUTC());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(message));
    signer.headers(WebhookSigner.newMessageId(), message).forEach(request::header);
    HttpResponse<String> response = null;
    inFlight.incrementAndGet();
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException noAnswer) {
      // killed, or not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } finally {
      inFlight.decrementAndGet();
    }
    if ((response == null || response.statusCode() == 503) && Instant.now().isBefore(giveUpAt)) {
      timers.schedule(
          () -> deliver(nameOrNumber, url, message, giveUpAt, attempt + 1),
          RETRY_DELAY.toMillis(),
          TimeUnit.MILLISECONDS);
      return;
    }
    deliveries.put(
        nameOrNumber,
        response == null
            ? new Delivery(0, "", attempt)
            : new Delivery(response.statusCode(), outcome(response.body()), attempt));
  }

  private static String outcome(String body) {
    try {
      return AppAgainstLocalDeployment.MAPPER.readTree(body).path("outcome").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
    server.stop(0);
  }
}
