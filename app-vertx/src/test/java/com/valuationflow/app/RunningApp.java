package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.http.InFlightRequests;
import com.valuationflow.app.http.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The app started on a free port, and a client that talks to it over real HTTP. */
public final class RunningApp implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final ValuationFlowApplication app;
  private final WebClient client;

  private RunningApp(Vertx vertx, ValuationFlowApplication app) {
    this.vertx = vertx;
    this.app = app;
    this.client = WebClient.create(vertx);
  }

  /** Starts the app with these settings; the port is always 0 (any free port). */
  public static RunningApp start(Vertx vertx, AppConfig config) {
    return new RunningApp(
        vertx,
        await(ValuationFlowApplication.start(vertx, config.withPort(0).withManagementPort(0))));
  }

  /** Starts the app with these settings and this clock. */
  public static RunningApp start(Vertx vertx, AppConfig config, Clock clock) {
    return new RunningApp(
        vertx,
        await(
            ValuationFlowApplication.start(
                vertx, config.withPort(0).withManagementPort(0), clock)));
  }

  /** Starts the app with these settings, showing this registry (Vert.x's, usually) on /metrics. */
  public static RunningApp start(
      Vertx vertx, AppConfig config, Clock clock, PrometheusMeterRegistry registry) {
    return new RunningApp(
        vertx,
        await(
            ValuationFlowApplication.start(
                vertx, config.withPort(0).withManagementPort(0), clock, registry)));
  }

  public int port() {
    return app.port();
  }

  public int managementPort() {
    return app.managementPort();
  }

  /** A GET on the management port. */
  public Response management(String path) {
    return toResponse(
        await(
            client
                .request(HttpMethod.GET, managementPort(), "localhost", path)
                .timeout(WAIT.toMillis())
                .send()));
  }

  public String url(String path) {
    return "http://localhost:" + port() + path;
  }

  /** An HTTP response with the body read as JSON (a missing node when it has none). */
  public record Response(int status, MultiMap headers, String text, JsonNode json) {}

  public Response post(String path, String body) {
    return send(HttpMethod.POST, path, "application/json", body);
  }

  /**
   * Posts a callback to an absolute URL, such as a callback URL the app handed a valuer, as a new
   * message signed with the tests' secret.
   */
  public Response postAbs(URI url, String body) {
    return await(ScriptedValuer.callBack(client, url, body));
  }

  /** Posts a callback with these headers, signed or not. */
  public Response postAbs(URI url, String body, Map<String, String> headers) {
    return await(ScriptedValuer.callBack(client, url, body, headers));
  }

  /** This app's webhook, with this correlation id. */
  public URI webhookUrl(String correlationId) {
    return URI.create(url("/webhooks/valuations?correlationId=" + correlationId));
  }

  public WebClient client() {
    return client;
  }

  public Response get(String path) {
    return send(HttpMethod.GET, path, null, null);
  }

  public Response send(HttpMethod method, String path, String contentType, String body) {
    return sendRaw(
        method,
        path,
        contentType == null ? Map.of() : Map.of("Content-Type", contentType),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends the path (and query) as given, with these headers and body bytes ({@code null}: none);
   * with the tests' API key unless the headers name an {@code Authorization}.
   */
  public Response sendRaw(
      HttpMethod method, String path, Map<String, String> headers, byte[] body) {
    var request = client.request(method, port(), "localhost", path).timeout(WAIT.toMillis());
    request.putHeader("Authorization", TestApiKey.AUTHORIZATION);
    headers.forEach(request::putHeader);
    Future<HttpResponse<Buffer>> response =
        body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
    return toResponse(await(response));
  }

  public static Response toResponse(HttpResponse<Buffer> response) {
    String text = response.bodyAsString();
    JsonNode json;
    try {
      json =
          text == null || text.isEmpty() ? Json.MAPPER.missingNode() : Json.MAPPER.readTree(text);
    } catch (IOException e) {
      json = Json.MAPPER.missingNode();
    }
    return new Response(response.statusCode(), response.headers(), text, json);
  }

  /** Polls the loan application until its status satisfies the condition. */
  public Response awaitApplication(String reference, Predicate<String> status) {
    return awaitApplication(reference, status, execution -> true);
  }

  /** Polls the loan application until its status and its whole view satisfy the conditions. */
  public Response awaitApplication(
      String reference, Predicate<String> status, Predicate<JsonNode> execution) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      Response response = get("/loan-applications/" + reference);
      if (response.status() == 200
          && status.test(response.json().path("status").asText())
          && execution.test(response.json())) {
        return response;
      }
      assertThat(Instant.now())
          .as(
              "loan application %s reached the expected status; last: %s",
              reference, response.text())
          .isBefore(deadline);
      await(vertx.timer(20, TimeUnit.MILLISECONDS));
    }
  }

  public static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("did not complete: " + e, e);
    }
  }

  /** Stops the app as a shutdown would; {@link #close()} afterwards shares the outcome. */
  public Future<InFlightRequests.Drained> stop() {
    return app.stop();
  }

  @Override
  public void close() {
    client.close();
    await(app.stop());
  }
}
