package com.valuationflow.app.benchmark;

import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.app.webhook.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>An app without a mock valuer of its own ({@code MODE=aws}) gets one {@linkplain CallingBack
 * calling back} itself instead: it answers a {@code flow-...} request {@code 202} with a reference
 * and, a while later, delivers the signed callback to the app's webhook, as a valuer does (again
 * after a {@code 503}'s {@code Retry-After}); and it answers each task once, however often the
 * request comes.
 */
public final class BenchmarkValuer {

  /** A parked task: the callback URL's correlation id and the reference we answered with. */
  record Parked(String correlationId, String valuationReference) {}

  /**
   * How this valuer calls back when the app has no mock valuer of its own.
   *
   * @param secret the webhook secret the app verifies callbacks with
   * @param delay how long after its answer the callback comes
   * @param heldPoll how often to read a held ({@code 202}) flow's status until it ends
   * @param apiKey the app's API key, to read a held flow's status
   */
  public record CallingBack(
      WebhookSecret secret, Duration delay, Duration heldPoll, Optional<String> apiKey) {}

  private static final String CONTENT_TYPE = "Content-Type";
  private static final Duration HELD_POLL = Duration.ofMillis(10);
  private static final Duration HELD_WAIT = Duration.ofSeconds(60);

  private final Vertx vertx;
  private final HttpClient client;
  private final Optional<CallingBack> callingBack;
  private final Optional<WebhookSigner> signer;
  private final BlockingQueue<Parked> parked = new LinkedBlockingQueue<>();
  private final Map<String, Promise<Boolean>> flows = new ConcurrentHashMap<>();
  private final Map<String, String> flowByCorrelation = new ConcurrentHashMap<>();
  private final Set<String> answered = ConcurrentHashMap.newKeySet();
  private volatile int appPort;

  /** A valuer that passes flows' requests and callbacks through to the app's own mock valuer. */
  public BenchmarkValuer(Vertx vertx, HttpClient client) {
    this(vertx, client, Optional.empty());
  }

  /** A valuer that answers flows' requests and calls back itself. */
  public BenchmarkValuer(Vertx vertx, HttpClient client, CallingBack callingBack) {
    this(vertx, client, Optional.of(callingBack));
  }

  private BenchmarkValuer(Vertx vertx, HttpClient client, Optional<CallingBack> callingBack) {
    this.vertx = vertx;
    this.client = client;
    this.callingBack = callingBack;
    this.signer = callingBack.map(c -> new WebhookSigner(c.secret(), Clock.systemUTC()));
  }

  /** Listens on a free loopback port: {@code /valuer/valuations} and {@code /webhooks/...}. */
  public Future<HttpServer> listen() {
    return listen(0);
  }

  /** Listens on this loopback port (0: a free one). */
  public Future<HttpServer> listen(int port) {
    return vertx.createHttpServer().requestHandler(this::handle).listen(port, "localhost");
  }

  /** Where the app under test listens, once it does. */
  public void appListensOn(int port) {
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
    String reference = "val-" + name;
    // When calling back itself, a request that comes again (a retried task) gets the same answer.
    boolean first = callingBack.isEmpty() || answered.add(correlationId);
    if (name.startsWith("park-")) {
      if (first) {
        parked.add(new Parked(correlationId, reference));
      }
      accepted(request, reference);
      return;
    }
    if (callingBack.isEmpty()) {
      flowByCorrelation.put(correlationId, name);
      forward(request, "/valuer/valuations", body);
      return;
    }
    accepted(request, reference);
    if (first) {
      String messageId = WebhookSigner.newMessageId();
      long deadline = System.nanoTime() + HELD_WAIT.toNanos();
      vertx.setTimer(
          Math.max(1, callingBack.get().delay().toMillis()),
          timer -> callBack(name, correlationId, reference, messageId, deadline));
    }
  }

  private static void accepted(HttpServerRequest request, String reference) {
    request
        .response()
        .setStatusCode(202)
        .putHeader(CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("valuationReference", reference).toBuffer());
  }

  /**
   * Delivers a flow's signed callback to the app's webhook, again after a {@code 503}'s {@code
   * Retry-After} (with the same {@code webhook-id}); the flow ends with a {@code 200}, or once its
   * application ends after a {@code 202}.
   */
  private void callBack(
      String flow, String correlationId, String reference, String messageId, long deadline) {
    Buffer body =
        new JsonObject()
            .put("valuationReference", reference)
            .put("propertyValue", 250000)
            .toBuffer();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.add(CONTENT_TYPE, "application/json");
    signer.orElseThrow().headers(messageId, body.getBytes()).forEach(headers::add);
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("localhost")
            .setPort(appPort)
            .setURI(
                "/webhooks/valuations?correlationId="
                    + URLEncoder.encode(correlationId, StandardCharsets.UTF_8))
            .setHeaders(headers);
    client
        .request(options)
        .compose(
            out ->
                out.send(body)
                    .compose(
                        answer ->
                            answer
                                .body()
                                .map(
                                    ignored ->
                                        new Answer(
                                            answer.statusCode(), answer.getHeader("Retry-After")))))
        .onComplete(
            answer -> {
              if (answer.failed()) {
                ended(flow, false);
              } else if (answer.result().status() == 200) {
                ended(flow, true);
              } else if (answer.result().status() == 202) {
                awaitEnd(flow, deadline)
                    .onComplete(done -> ended(flow, done.succeeded() && done.result()));
              } else if (answer.result().status() == 503 && System.nanoTime() < deadline) {
                vertx.setTimer(
                    answer.result().retryAfterMillis(),
                    timer -> callBack(flow, correlationId, reference, messageId, deadline));
              } else {
                ended(flow, false);
              }
            });
  }

  /** The webhook's answer: its status and {@code Retry-After}. */
  private record Answer(int status, String retryAfter) {
    long retryAfterMillis() {
      try {
        return Math.max(1, Long.parseLong(retryAfter == null ? "1" : retryAfter.strip())) * 1000;
      } catch (NumberFormatException e) {
        return 1000;
      }
    }
  }

  private void ended(String flow, boolean resumed) {
    Promise<Boolean> done = flows.remove(flow);
    if (done != null) {
      done.tryComplete(resumed);
    }
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
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    callingBack
        .flatMap(CallingBack::apiKey)
        .ifPresent(key -> headers.add("Authorization", "Bearer " + key));
    Duration poll = callingBack.map(CallingBack::heldPoll).orElse(HELD_POLL);
    return client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost("localhost")
                .setPort(appPort)
                .setURI("/loan-applications/" + applicationReference)
                .setHeaders(headers))
        .compose(
            get ->
                get.send()
                    .compose(
                        response ->
                            response
                                .body()
                                .map(
                                    view ->
                                        response.statusCode() == 200
                                            ? view.toJsonObject().getString("status", "")
                                            : "")))
        .compose(
            status -> {
              // RUNNING, or no answer yet (such as a 503 from a busy app): look again
              boolean ended = !status.isEmpty() && !status.equals("RUNNING");
              if (ended || System.nanoTime() > deadline) {
                return Future.succeededFuture(status.equals("SUCCEEDED"));
              }
              return vertx
                  .timer(poll.toMillis())
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
        return URLDecoder.decode(pair.substring("correlationId=".length()), StandardCharsets.UTF_8);
      }
    }
    throw new IllegalArgumentException("No correlationId in " + callbackUrl);
  }
}
