package com.valuationflow.app.capacity;

import com.valuationflow.app.http.Problem;
import com.valuationflow.domain.port.CallHeldBackException;
import com.valuationflow.domain.port.ServiceUnavailableException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control: at most {@link #limit()} requests are being answered at once; one more is
 * answered at once, on the event loop, with {@code 503} problem+json ({@code
 * /problems/at-capacity}) and {@code Retry-After}, rather than queued for a worker or a connection
 * until it times out. A request is counted once, whichever of its routes the limit stands in front
 * of.
 *
 * <p>The limit adapts to what the services behind the app can take (additive increase,
 * multiplicative decrease): an admitted request answered {@code 503} because a service was slow or
 * refused (an AWS call timed out or was throttled, or the request timed out) cuts it by a tenth,
 * down to a tenth of {@code MAX_IN_FLIGHT_REQUESTS} (at least {@link #MIN_LIMIT}); an admitted
 * request answered otherwise while at least half the limit was in use raises it by one, up to
 * {@code MAX_IN_FLIGHT_REQUESTS}. So when AWS slows down, the excess is refused before any work is
 * done for it, rather than admitted, timed out after part of its work and tried again. Calls the
 * adapters held back ({@link CallHeldBackException}: the app's own quota refusals, the in-memory
 * engine's backlog) are cheap and say nothing of the services, so they leave it as it is.
 */
public final class ConcurrencyLimit implements Handler<RoutingContext> {

  /** When a refused client should try again. */
  static final String RETRY_AFTER_SECONDS = "1";

  /**
   * The least the limit falls to, unless a tenth of {@code MAX_IN_FLIGHT_REQUESTS} is more (or the
   * maximum itself is less).
   */
  public static final int MIN_LIMIT = 10;

  private static final double DECREASE = 0.9;
  private static final String ADMITTED = ConcurrencyLimit.class.getName();

  private final int max;
  private final int min;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile double limit;

  /**
   * @param max the most requests answered at once, where the limit starts
   */
  public ConcurrencyLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("'max' must be at least 1, was " + max);
    }
    this.max = max;
    this.min = Math.max(Math.min(max, MIN_LIMIT), max / 10);
    this.limit = max;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.get(ADMITTED) != null) {
      ctx.next();
      return;
    }
    int admitted = inFlight.incrementAndGet();
    if (admitted > limit()) {
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
    ctx.addEndHandler(
        ended -> {
          inFlight.decrementAndGet();
          answered(overloaded(ctx), admitted);
        });
    ctx.next();
  }

  /** Whether an admitted request's {@code 503} says a service behind the app could not keep up. */
  private static boolean overloaded(RoutingContext ctx) {
    return ctx.response().getStatusCode() == 503
        && !(ctx.failure() instanceof CallHeldBackException)
        && (ctx.failure() == null || ctx.failure() instanceof ServiceUnavailableException);
  }

  /**
   * Adapts the limit to an admitted request's answer.
   *
   * @param overloaded whether it was refused because a service could not keep up
   * @param inFlightWhenAdmitted the requests being answered when it was admitted, itself included
   */
  void answered(boolean overloaded, int inFlightWhenAdmitted) {
    if (!overloaded && limit >= max) {
      return; // the usual answer at the usual limit: nothing to adapt, no lock to take
    }
    adapt(overloaded, inFlightWhenAdmitted);
  }

  private synchronized void adapt(boolean overloaded, int inFlightWhenAdmitted) {
    if (overloaded) {
      limit = Math.max(min, limit * DECREASE);
    } else if (limit < max && inFlightWhenAdmitted * 2 >= limit) {
      limit = Math.min(max, limit + 1);
    }
  }

  /** How many requests are answered at once now. */
  public int limit() {
    return (int) limit;
  }

  /** The requests being answered now. */
  public int inFlight() {
    return inFlight.get();
  }
}
