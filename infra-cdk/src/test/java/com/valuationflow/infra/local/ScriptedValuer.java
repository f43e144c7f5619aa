package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A third-party valuer over real HTTP, scripted by the property's {@code nameOrNumber}: {@code
 * Calls back early} calls back before it answers the request, {@code Calls back twice} delivers two
 * messages of one valuation, {@code Calls back late} waits past the valuation timeout, {@code
 * Reports a failure} reports that it could not value the property. Callbacks are signed with the
 * webhook secret the deployment gave the app; what the webhook answered is kept per property.
 */
final class ScriptedValuer implements AutoCloseable {

  static final long VALUE = 425_000;

  private final HttpServer server;
  private final Supplier<String> webhookSecret;
  private final Duration late;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
  private final AtomicInteger references = new AtomicInteger();
  private final Map<String, List<Integer>> answers = new ConcurrentHashMap<>();

  ScriptedValuer(Supplier<String> webhookSecret, Duration late) throws IOException {
    this.webhookSecret = webhookSecret;
    this.late = late;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/valuations", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/valuations");
  }

  /** The webhook's answers to the callbacks for this property, in the order they came. */
  List<Integer> answers(String nameOrNumber) {
    return answers.getOrDefault(nameOrNumber, List.of());
  }

  private void handle(HttpExchange exchange) throws IOException {
    JsonNode request = AppAgainstLocalDeployment.MAPPER.readTree(exchange.getRequestBody());
    String nameOrNumber = request.path("property").path("nameOrNumber").asText();
    URI callbackUrl = URI.create(request.path("callbackUrl").asText());
    String reference = "tp-" + references.incrementAndGet();
    ObjectNode valuation =
        AppAgainstLocalDeployment.MAPPER
            .createObjectNode()
            .put("valuationReference", reference)
            .put("propertyValue", VALUE);
    switch (nameOrNumber) {
      case "Calls back early" -> callBack(nameOrNumber, callbackUrl, valuation);
      case "Calls back twice" ->
          timers.schedule(
              () -> {
                callBack(nameOrNumber, callbackUrl, valuation);
                callBack(nameOrNumber, callbackUrl, valuation);
              },
              300,
              TimeUnit.MILLISECONDS);
      case "Calls back late" ->
          timers.schedule(
              () -> callBack(nameOrNumber, callbackUrl, valuation),
              late.toMillis(),
              TimeUnit.MILLISECONDS);
      case "Reports a failure" ->
          timers.schedule(
              () ->
                  callBack(
                      nameOrNumber,
                      callbackUrl,
                      AppAgainstLocalDeployment.MAPPER
                          .createObjectNode()
                          .put("valuationReference", reference)
                          .put("failed", true)
                          .put("reason", "No access to the property")),
              300,
              TimeUnit.MILLISECONDS);
      default -> throw new IllegalArgumentException("Unscripted property " + nameOrNumber);
    }
    byte[] body =
        ("{\"valuationReference\":\"" + reference + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(202, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** One new message, signed, delivered once; the webhook's answer is kept. */
  private void callBack(String nameOrNumber, URI url, JsonNode message) {
    byte[] body = message.toString().getBytes(StandardCharsets.UTF_8);
    WebhookSigner signer =
        new WebhookSigner(WebhookSecret.parse(webhookSecret.get()), Clock.systemUTC());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signer.headers(WebhookSigner.newMessageId(), body).forEach(request::header);
    int status;
    try {
      status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      status = 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 0;
    }
    answers.computeIfAbsent(nameOrNumber, k -> new CopyOnWriteArrayList<>()).add(status);
  }

  @Override
  public void close() {
    timers.shutdownNow();
    server.stop(0);
  }
}
