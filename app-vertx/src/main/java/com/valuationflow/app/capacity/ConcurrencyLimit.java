package com.valuationflow.app.capacity;

import com.valuationflow.app.http.Problem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control: at most {@code limit} requests are being answered at once; one more is
 * answered at once, on the event loop, with {@code 503} problem+json ({@code
 * /problems/at-capacity}) and {@code Retry-After}, rather than queued for a worker or a connection
 * until it times out. A request is counted once, whichever of its routes the limit stands in front
 * of.
 */
public final class ConcurrencyLimit implements Handler<RoutingContext> {

  /** When a refused client should try again. */
  static final String RETRY_AFTER_SECONDS = "1";

  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();

  public ConcurrencyLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("'limit' must be at least 1, was " + limit);
    }
    this.limit = limit;
  }

  private static final String ADMITTED = ConcurrencyLimit.class.getName();

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.get(ADMITTED) != null) {
      ctx.next();
      return;
    }
    if (inFlight.incrementAndGet() > limit) {
      inFlight.decrementAndGet();
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
      Problem.of(
              503,
              "at-capacity",
              "At capacity",
              "The app is answering as many requests as it can; try again in a moment")
          .send(ctx);
      return;
    }
    ctx.put(ADMITTED, Boolean.TRUE);
    ctx.addEndHandler(ended -> inFlight.decrementAndGet());
    ctx.next();
  }

  /** The requests being answered now. */
  public int inFlight() {
    return inFlight.get();
  }
}
