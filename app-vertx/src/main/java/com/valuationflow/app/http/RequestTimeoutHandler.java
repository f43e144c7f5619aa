package com.valuationflow.app.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Objects;

/**
 * Answers {@code 503} {@code /problems/request-timeout} when a request's answer has not started
 * within the timeout. The clock stops as soon as the answer's head is written, so a live event
 * stream, which starts at once and then stays open, is never cut; an answer the handler finishes
 * after the timeout is dropped.
 */
public final class RequestTimeoutHandler implements Handler<RoutingContext> {

  private static final System.Logger LOG = System.getLogger(RequestTimeoutHandler.class.getName());

  private final Vertx vertx;
  private final long timeoutMillis;

  public RequestTimeoutHandler(Vertx vertx, Duration timeout) {
    this.vertx = Objects.requireNonNull(vertx, "'vertx' must not be null");
    this.timeoutMillis = Math.max(1, timeout.toMillis());
  }

  @Override
  public void handle(RoutingContext ctx) {
    long timer = vertx.setTimer(timeoutMillis, fired -> timedOut(ctx));
    ctx.addHeadersEndHandler(headers -> vertx.cancelTimer(timer));
    ctx.addEndHandler(ended -> vertx.cancelTimer(timer));
    ctx.next();
  }

  private void timedOut(RoutingContext ctx) {
    if (ctx.response().headWritten() || ctx.response().closed()) {
      return;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "{0} {1} got no answer within {2} ms; answered 503",
        ctx.request().method(),
        ctx.request().path(),
        Long.toString(timeoutMillis));
    ctx.response().putHeader("Retry-After", "1");
    Problem.of(
            503,
            "request-timeout",
            "Request timeout",
            "The request could not be answered in time; try again later")
        .send(ctx);
  }
}
