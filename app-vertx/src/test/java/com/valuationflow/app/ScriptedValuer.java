package com.valuationflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.http.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.URI;
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

  /** Posts a callback body to a callback URL, as the valuer would. */
  public static Future<RunningApp.Response> callBack(
      WebClient client, URI callbackUrl, String body) {
    return client
        .postAbs(callbackUrl.toString())
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body))
        .map(RunningApp::toResponse);
  }

  @Override
  public void close() {
    RunningApp.await(server.close());
  }
}
