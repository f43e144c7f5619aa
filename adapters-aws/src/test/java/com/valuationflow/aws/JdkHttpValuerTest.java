package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.Property;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.port.Valuer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkHttpValuerTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final ValuationRequest REQUEST =
      new ValuationRequest(
          Property.of("Flat \"A\\1\", Café 🏠", "PO1 1CE"),
          URI.create("https://valuationflow.example/valuations/callback?correlationId=c-1"),
          CorrelationKey.of("c-1"));

  private static final List<Received> received = new CopyOnWriteArrayList<>();
  private static final CountDownLatch releaseSlowReplies = new CountDownLatch(1);
  private static HttpServer server;
  private static ExecutorService executor;

  private record Received(String method, String contentType, String idempotencyKey, String body) {}

  @BeforeAll
  static void startValuer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/ok", reply(200, "{\"valuationReference\":\"val-123\"}"));
    server.createContext("/created", reply(201, "{\"valuationReference\":\"val-9\",\"eta\":3}"));
    server.createContext("/unavailable", reply(503, "{\"valuationReference\":\"val-123\"}"));
    server.createContext("/redirect", reply(302, ""));
    server.createContext("/garbage", reply(200, "<html>Service Unavailable</html>"));
    server.createContext("/empty", reply(200, ""));
    server.createContext("/array", reply(200, "[\"val-123\"]"));
    server.createContext("/no-reference", reply(200, "{\"reference\":\"val-123\"}"));
    server.createContext("/numeric-reference", reply(200, "{\"valuationReference\":123}"));
    server.createContext("/unusable-reference", reply(200, "{\"valuationReference\":\"v 1\"}"));
    server.createContext(
        "/huge", reply(200, "{\"valuationReference\":\"" + "x".repeat(100_000) + "\"}"));
    server.createContext(
        "/slow",
        exchange -> {
          try {
            releaseSlowReplies.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply(200, "{\"valuationReference\":\"val-late\"}").handle(exchange);
        });
    server.start();
  }

  @AfterAll
  static void stopValuer() {
    releaseSlowReplies.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  @BeforeEach
  void forgetRequests() {
    received.clear();
  }

  @Test
  void postsThePropertyAndCallbackUrlAsJsonAndReturnsTheValuersReference() {
    Valuer.ValuerReply reply = valuer("/ok").requestValuation(REQUEST);

    assertThat(reply).isEqualTo(new Valuer.Accepted(ValuationReference.of("val-123")));
    assertThat(received)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.contentType()).isEqualTo("application/json");
              assertThat(r.idempotencyKey()).isEqualTo("c-1");
              assertThat(new JsonObject(r.body()))
                  .isEqualTo(
                      new JsonObject()
                          .put(
                              "property",
                              new JsonObject()
                                  .put("nameOrNumber", "Flat \"A\\1\", Café 🏠")
                                  .put("postcode", "PO1 1CE"))
                          .put("callbackUrl", REQUEST.callbackUrl().toString()));
            });
  }

  @Test
  void anySuccessStatusWithAReferenceIsAccepted() {
    assertThat(valuer("/created").requestValuation(REQUEST))
        .isEqualTo(new Valuer.Accepted(ValuationReference.of("val-9")));
  }

  @Test
  void anErrorStatusIsUnavailable() {
    assertUnavailable("/unavailable", "valuer answered HTTP 503");
  }

  @Test
  void aRedirectIsNotFollowed() {
    assertUnavailable("/redirect", "valuer answered HTTP 302");
  }

  @Test
  void aValuerThatDoesNotAnswerInTimeIsUnavailable() {
    long start = System.nanoTime();

    assertUnavailable("/slow", "valuer did not answer within 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aReplyThatIsNotJsonIsUnavailable() {
    assertUnavailable("/garbage", "valuer reply is not JSON");
  }

  @Test
  void anEmptyReplyIsUnavailable() {
    assertUnavailable("/empty", "valuer reply is empty");
  }

  @Test
  void aReplyThatIsNotAnObjectIsUnavailable() {
    assertUnavailable("/array", "valuer reply is not a JSON object");
  }

  @Test
  void aReplyWithoutAReferenceIsUnavailable() {
    assertUnavailable("/no-reference", "valuer reply has no valuationReference");
    assertUnavailable("/numeric-reference", "valuer reply has no valuationReference");
  }

  @Test
  void aReplyWithAnUnusableReferenceIsUnavailable() {
    assertUnavailable(
        "/unusable-reference",
        "valuer reply has an unusable valuationReference: 'valuationReference' must be");
  }

  @Test
  void anOversizedReplyIsUnavailable() {
    assertUnavailable("/huge", "valuer reply is larger than 65536 bytes");
  }

  @Test
  void aValuerThatRefusesConnectionsIsUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    JdkHttpValuer valuer =
        new JdkHttpValuer(
            URI.create("http://127.0.0.1:" + closedPort + "/valuations"), TIMEOUT, TIMEOUT);

    assertThat(valuer.requestValuation(REQUEST))
        .isInstanceOfSatisfying(
            Valuer.Unavailable.class,
            u ->
                assertThat(u.reason())
                    .as("in our words, the cause the task fails with")
                    .isEqualTo("valuer unreachable at 127.0.0.1:" + closedPort));
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThatThrownBy(() -> new JdkHttpValuer(URI.create("/valuations"), TIMEOUT, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'valuerUrl'");
    assertThatThrownBy(
            () -> new JdkHttpValuer(URI.create("ftp://valuer.example/"), TIMEOUT, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new JdkHttpValuer(URI.create("http://valuer.example/"), Duration.ZERO, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'connectTimeout'");
    assertThatThrownBy(
            () ->
                new JdkHttpValuer(
                    URI.create("http://valuer.example/"), TIMEOUT, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'requestTimeout'");
  }

  private static void assertUnavailable(String path, String reason) {
    assertThat(valuer(path).requestValuation(REQUEST))
        .isInstanceOfSatisfying(
            Valuer.Unavailable.class, u -> assertThat(u.reason()).startsWith(reason));
  }

  private static JdkHttpValuer valuer(String path) {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return new JdkHttpValuer(url, TIMEOUT, TIMEOUT);
  }

  private static HttpHandler reply(int status, String body) {
    return exchange -> {
      record(exchange);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  private static void record(HttpExchange exchange) throws IOException {
    if (exchange.getAttribute("recorded") != null) {
      return;
    }
    exchange.setAttribute("recorded", true);
    Map<String, List<String>> headers = exchange.getRequestHeaders();
    received.add(
        new Received(
            exchange.getRequestMethod(),
            headers.getOrDefault("Content-Type", List.of()).stream().findFirst().orElse(null),
            headers.getOrDefault("Idempotency-Key", List.of()).stream().findFirst().orElse(null),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
  }
}
