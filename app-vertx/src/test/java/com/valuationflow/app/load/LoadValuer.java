package com.valuationflow.app.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.http.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The valuer, played by the load driver on a loopback port. It answers each valuation request with
 * the application's reference; for an early application it first delivers copies of the callback
 * and waits for the webhook's answers. It records each application's callback URL and how often it
 * was asked.
 */
final class LoadValuer {

  private static final String NAME_PREFIX = "House ";

  private final LoadPlan plan;
  private final Function<LoadPlan.Delivery, Future<?>> deliverEarly;
  private final AtomicReferenceArray<URI> callbackUrls;
  private final AtomicIntegerArray requests;
  private final AtomicIntegerArray answered;
  private final AtomicInteger replied = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final CompletableFuture<Void> allReplied = new CompletableFuture<>();
  private final long replyDelayMillis;
  private Vertx vertx;
  private HttpServer server;

  /**
   * @param replyDelay how long the valuer takes to reply, on average: each reply takes a uniformly
   *     random time between none and twice this
   */
  LoadValuer(
      LoadPlan plan, Duration replyDelay, Function<LoadPlan.Delivery, Future<?>> deliverEarly) {
    this.plan = plan;
    this.replyDelayMillis = replyDelay.toMillis();
    this.deliverEarly = deliverEarly;
    this.callbackUrls = new AtomicReferenceArray<>(plan.applications().size());
    this.requests = new AtomicIntegerArray(plan.applications().size());
    this.answered = new AtomicIntegerArray(plan.applications().size());
  }

  Future<LoadValuer> start(Vertx vertx) {
    this.vertx = vertx;
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request.body().onSuccess(body -> answer(request, body)).onFailure(e -> {}));
    return server.listen(0, "127.0.0.1").map(listening -> this);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/valuations");
  }

  private void answer(HttpServerRequest request, Buffer body) {
    LoadPlan.Application application;
    URI callbackUrl;
    try {
      JsonNode json = Json.parse(body);
      String name = json.path("property").path("nameOrNumber").asText();
      application = plan.application(Integer.parseInt(name.substring(NAME_PREFIX.length())));
      callbackUrl = URI.create(json.path("callbackUrl").asText());
    } catch (IOException | RuntimeException e) {
      refused.incrementAndGet();
      request.response().setStatusCode(400).end();
      return;
    }
    callbackUrls.set(application.index(), callbackUrl);
    requests.incrementAndGet(application.index());
    Future.join(application.early().stream().map(deliverEarly).toList())
        .compose(delivered -> delay())
        .onComplete(
            delivered -> {
              request
                  .response()
                  .setStatusCode(202)
                  .putHeader("Content-Type", "application/json")
                  .end("{\"valuationReference\":\"" + application.valuationReference() + "\"}");
              if (answered.getAndSet(application.index(), 1) == 0
                  && replied.incrementAndGet() == plan.applications().size()) {
                allReplied.complete(null);
              }
            });
  }

  private Future<Void> delay() {
    long millis =
        replyDelayMillis == 0 ? 0 : ThreadLocalRandom.current().nextLong(2 * replyDelayMillis + 1);
    return millis == 0 ? Future.succeededFuture() : vertx.timer(millis).mapEmpty();
  }

  /** Completes once every application's request was answered at least once. */
  CompletableFuture<Void> allReplied() {
    return allReplied;
  }

  /** How many applications' requests were answered. */
  int replied() {
    return replied.get();
  }

  /** Requests that named no application of the plan. */
  int refused() {
    return refused.get();
  }

  URI callbackUrl(int application) {
    return callbackUrls.get(application);
  }

  int requests(int application) {
    return requests.get(application);
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
