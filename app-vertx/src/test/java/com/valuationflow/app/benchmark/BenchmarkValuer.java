package com.valuationflow.app.benchmark;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Where the app under test sends its valuation requests ({@code VALUER_URL}) and where its mock
 * valuer sends its callbacks ({@code PUBLIC_BASE_URL}), so that the benchmark sees each flow end.
 *
 * <ul>
 *   <li>A request for a property named {@code park-...} is answered here, {@code 202} with a
 *       reference, and never called back: its task token stays parked for the webhook scenario.
 *   <li>A request for {@code flow-...} is passed on to the app's own mock valuer, unchanged, and
 *       its answer passed back; the flow is known from then on by its callback URL's correlation
 *       id. The mock valuer's callback comes here and is passed on to the app's webhook unchanged
 *       (the signature covers the id, timestamp and body, not the URL); a {@code 200} answer ends
 *       the flow, as does its end after a {@code 202} (a callback held until the valuer's reply).
 * </ul>
 *
 * The app does exactly the work it does with its mock valuer calling itself; this process adds one
 * loopback hop to the valuation request and one to the callback.
 */
final class BenchmarkValuer {

  /** A parked task: the callback URL's correlation id and the reference we answered with. */
  record Parked(String correlationId, String valuationReference) {}

  private static final String CONTENT_TYPE = "Content-Type";
  private static final java.time.Duration HELD_POLL = java.time.Duration.ofMillis(10);
  private static final java.time.Duration HELD_WAIT = java.time.Duration.ofSeconds(60);

  private final Vertx vertx;
  private final HttpClient client;
  private final BlockingQueue<Parked> parked = new LinkedBlockingQueue<>();
  private final Map<String, Promise<Boolean>> flows = new ConcurrentHashMap<>();
  private final Map<String, String> flowByCorrelation = new ConcurrentHashMap<>();
  private volatile int appPort;

  BenchmarkValuer(Vertx vertx, HttpClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  Future<HttpServer> listen() {
    return vertx.createHttpServer().requestHandler(this::handle).listen(0, "localhost");
  }

  void appListensOn(int port) {
    this.appPort = port;
  }

  BlockingQueue<Parked> parked() {
    return parked;
  }

  /** A flow about to be submitted: completes {@code true} once its callback resumed it. */
  Future<Boolean> expectFlow(String nameOrNumber) {
    Promise<Boolean> done = Promise.promise();
    flows.put(nameOrNumber, done);
    return done.future();
  }

  /** A flow whose submission failed. */
  void forget(String nameOrNumber) {
    Promise<Boolean> done = flows.remove(nameOrNumber);
    if (done != null) {
      done.tryComplete(false);
    }
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              if (request.path().endsWith("/valuer/valuations")) {
                valuationRequest(request, body);
              } else if (request.path().endsWith("/webhooks/valuations")) {
                callback(request, body);
              } else {
                request.response().setStatusCode(404).end();
              }
            });
  }

  private void valuationRequest(HttpServerRequest request, Buffer body) {
    JsonObject json = body.toJsonObject();
    String name = json.getJsonObject("property").getString("nameOrNumber");
    String correlationId = correlationId(json.getString("callbackUrl"));
    if (name.startsWith("park-")) {
      String reference = "val-" + name;
      parked.add(new Parked(correlationId, reference));
      request
          .response()
          .setStatusCode(202)
          .putHeader(CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("valuationReference", reference).toBuffer());
      return;
    }
    flowByCorrelation.put(correlationId, name);
    forward(request, "/valuer/valuations", body);
  }

  private void callback(HttpServerRequest request, Buffer body) {
    String flow = flowByCorrelation.get(request.getParam("correlationId", ""));
    forward(request, request.uri(), body)
        .onSuccess(
            status -> {
              if (flow == null || (status != 200 && status != 202)) {
                return;
              }
              flowByCorrelation.remove(request.getParam("correlationId"));
              Promise<Boolean> done = flows.remove(flow);
              if (done == null) {
                return;
              }
              if (status == 200) {
                done.tryComplete(true);
              } else {
                // Held until the valuer's reply is recorded (it raced its own reply): the app
                // resumes the flow then, so watch it end.
                awaitEnd(flow, System.nanoTime() + HELD_WAIT.toNanos()).onComplete(done);
              }
            });
  }

  private Future<Boolean> awaitEnd(String applicationReference, long deadline) {
    return client
        .request(HttpMethod.GET, appPort, "localhost", "/loan-applications/" + applicationReference)
        .compose(get -> get.send().compose(HttpClientResponse::body))
        .compose(
            view -> {
              String status = view.toJsonObject().getString("status", "");
              if (!status.equals("RUNNING") || System.nanoTime() > deadline) {
                return Future.succeededFuture(status.equals("SUCCEEDED"));
              }
              return vertx
                  .timer(HELD_POLL.toMillis())
                  .compose(fired -> awaitEnd(applicationReference, deadline));
            });
  }

  /** Passes the request on to the app and its answer back; the app's status. */
  private Future<Integer> forward(HttpServerRequest request, String uri, Buffer body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request.headers().forEach(header -> copyHeader(headers, header.getKey(), header.getValue()));
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("localhost")
            .setPort(appPort)
            .setURI(uri)
            .setHeaders(headers);
    return client
        .request(options)
        .compose(out -> out.send(body))
        .compose(
            answer ->
                answer
                    .body()
                    .map(
                        answerBody -> {
                          request
                              .response()
                              .setStatusCode(answer.statusCode())
                              .putHeader(
                                  CONTENT_TYPE,
                                  answer.getHeader(CONTENT_TYPE) == null
                                      ? "application/json"
                                      : answer.getHeader(CONTENT_TYPE))
                              .end(answerBody);
                          return answer.statusCode();
                        }))
        .onFailure(failure -> request.response().setStatusCode(502).end());
  }

  private static void copyHeader(MultiMap headers, String name, String value) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("content-type")
        || lower.startsWith("webhook-")
        || lower.equals("idempotency-key")) {
      headers.add(name, value);
    }
  }

  private static String correlationId(String callbackUrl) {
    String query = URI.create(callbackUrl).getRawQuery();
    for (String pair : query.split("&")) {
      if (pair.startsWith("correlationId=")) {
        return java.net.URLDecoder.decode(
            pair.substring("correlationId=".length()), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    throw new IllegalArgumentException("No correlationId in " + callbackUrl);
  }
}
