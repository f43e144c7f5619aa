package com.valuationflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.http.Json;
import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.app.webhook.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A valuer on a loopback port that a test scripts: it records each request and answers as told, so
 * the test can play the valuer's callbacks itself and read our webhook's answers.
 */
public final class ScriptedValuer implements AutoCloseable {

  /** The secret the tests configure the app with, as {@code WEBHOOK_SECRET} would. */
  public static final String SECRET_TEXT = "whsec_vEsXPRZj4LA2AmiWKxuR2r8mEVoGWyG94iokrvByuRQ=";

  public static final WebhookSecret SECRET = WebhookSecret.parse(SECRET_TEXT);

  /** A request the valuer received, and the reference it answered with (null if it refused). */
  public record Received(JsonNode property, URI callbackUrl, String valuationReference) {}

  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Function<Received, Future<Integer>> beforeReply =
      request -> Future.succeededFuture(202);

  private ScriptedValuer(HttpServer server) {
    this.server = server;
  }

  public static ScriptedValuer start(Vertx vertx) {
    ScriptedValuer[] valuer = new ScriptedValuer[1];
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .compose(body -> valuer[0].answer(body))
                        .onSuccess(
                            answer ->
                                request
                                    .response()
                                    .setStatusCode(answer.status())
                                    .putHeader("Content-Type", "application/json")
                                    .end(answer.body()))
                        .onFailure(failure -> request.response().setStatusCode(500).end()));
    valuer[0] = new ScriptedValuer(server);
    RunningApp.await(server.listen(0, "127.0.0.1"));
    return valuer[0];
  }

  private record Answer(int status, String body) {}

  private Future<Answer> answer(Buffer body) {
    requests.incrementAndGet();
    JsonNode request;
    try {
      request = Json.parse(body);
    } catch (IOException e) {
      return Future.succeededFuture(new Answer(400, "{}"));
    }
    Received valuation =
        new Received(
            request.path("property"),
            URI.create(request.path("callbackUrl").asText()),
            "val-" + UUID.randomUUID());
    return beforeReply
        .apply(valuation)
        .map(
            status -> {
              if (status / 100 != 2) {
                received.add(new Received(valuation.property(), valuation.callbackUrl(), null));
                return new Answer(status, "{\"message\":\"unavailable\"}");
              }
              received.add(valuation);
              return new Answer(
                  status, "{\"valuationReference\":\"" + valuation.valuationReference() + "\"}");
            });
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/valuations");
  }

  /** Answers every request with this status (202 with a reference, or an error). */
  public ScriptedValuer answering(int status) {
    beforeReply = request -> Future.succeededFuture(status);
    return this;
  }

  /** Runs the action (say, an early callback) to completion before answering each request. */
  public ScriptedValuer beforeAnswering(Function<Received, Future<?>> action) {
    beforeReply = request -> action.apply(request).map(done -> 202);
    return this;
  }

  /** The next request received, waiting for it up to ten seconds. */
  public Received nextRequest() {
    try {
      Received next = received.poll(10, TimeUnit.SECONDS);
      if (next == null) {
        throw new AssertionError("the valuer received no request");
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public int requestCount() {
    return requests.get();
  }

  /** Posts a callback body to a callback URL as a new message, signed with {@link #SECRET}. */
  public static Future<RunningApp.Response> callBack(
      WebClient client, URI callbackUrl, String body) {
    return callBack(client, callbackUrl, body, signed(SECRET, WebhookSigner.newMessageId(), body));
  }

  /** Posts a callback body with these headers, signed or not. */
  public static Future<RunningApp.Response> callBack(
      WebClient client, URI callbackUrl, String body, Map<String, String> headers) {
    HttpRequest<Buffer> request =
        client.postAbs(callbackUrl.toString()).putHeader("Content-Type", "application/json");
    headers.forEach(request::putHeader);
    return request.sendBuffer(Buffer.buffer(body)).map(RunningApp::toResponse);
  }

  /** The Standard Webhooks headers of message {@code id} with this body, signed now. */
  public static Map<String, String> signed(WebhookSecret secret, String id, String body) {
    return signed(secret, id, body, Clock.systemUTC());
  }

  /** The Standard Webhooks headers of message {@code id}, signed at the clock's time. */
  public static Map<String, String> signed(
      WebhookSecret secret, String id, String body, Clock clock) {
    return new WebhookSigner(secret, clock).headers(id, body.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    RunningApp.await(server.close());
  }
}
