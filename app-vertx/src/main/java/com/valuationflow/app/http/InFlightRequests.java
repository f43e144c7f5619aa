package com.valuationflow.app.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests being answered and the blocking work they started, so that a stop can let
 * them finish. Once {@link #drain(Duration) draining}, new requests are refused with {@code 503}
 * and {@code Retry-After}, on new connections and kept-alive ones alike.
 */
public final class InFlightRequests {

  /** When a refused client should try again: long enough for another instance to take over. */
  static final String RETRY_AFTER_SECONDS = "5";

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger blockingWork = new AtomicInteger();
  private final Promise<Void> idle = Promise.promise();
  private final List<Runnable> drainListeners = new CopyOnWriteArrayList<>();
  private final boolean inline;
  private volatile boolean draining;

  /** Runs blocking work on Vert.x's worker pool. */
  public InFlightRequests(Vertx vertx) {
    this(vertx, null, false);
  }

  /**
   * @param workers the pool that runs blocking work ({@code null}: Vert.x's worker pool)
   * @param inline whether the "blocking" work never blocks (in-memory adapters): then it runs on
   *     the calling thread, counted all the same, saving two thread hops per call
   */
  public InFlightRequests(Vertx vertx, WorkerExecutor workers, boolean inline) {
    this.vertx = vertx;
    this.workers = workers;
    this.inline = inline;
  }

  /** What a drain found: the requests in flight when it began, and what was still running. */
  public record Drained(
      int inFlight, int abandonedRequests, int abandonedBlockingWork, Duration took) {

    public boolean complete() {
      return abandonedRequests == 0 && abandonedBlockingWork == 0;
    }
  }

  /** The router's first handler: counts the request until its response is done. */
  public void admit(RoutingContext ctx) {
    requests.incrementAndGet();
    if (draining) {
      finished(requests);
      refuse(ctx);
      return;
    }
    ctx.addEndHandler(ended -> finished(requests));
    ctx.next();
  }

  private static void refuse(RoutingContext ctx) {
    ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS).putHeader("Connection", "close");
    Problem.of(503, "stopping", "Stopping", "The app is stopping; try again in a moment").send(ctx);
  }

  /**
   * Runs the action when a drain begins: for long-lived responses (event streams) that would
   * otherwise hold the drain up until the grace period ends.
   */
  public void whenDraining(Runnable action) {
    drainListeners.add(action);
  }

  /**
   * Runs blocking work on a worker thread, counted until it returns; or on this thread, if the work
   * never blocks (see {@link #InFlightRequests(Vertx, WorkerExecutor, boolean)}).
   */
  public <T> Future<T> executeBlocking(Callable<T> work) {
    blockingWork.incrementAndGet();
    if (inline) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      } finally {
        finished(blockingWork);
      }
    }
    Callable<T> counted =
        () -> {
          try {
            return work.call();
          } finally {
            finished(blockingWork);
          }
        };
    return workers == null
        ? vertx.executeBlocking(counted, false)
        : workers.executeBlocking(counted, false);
  }

  /**
   * Refuses new requests from now on and completes once those in flight, and the blocking work they
   * started, are done, or when the grace period is over, whichever comes first.
   */
  public Future<Drained> drain(Duration grace) {
    long started = System.nanoTime();
    draining = true;
    int inFlight = requests.get();
    drainListeners.forEach(Runnable::run);
    checkIdle();
    long timer = vertx.setTimer(Math.max(1, grace.toMillis()), expired -> idle.tryFail("grace"));
    return idle.future()
        .transform(
            done -> {
              vertx.cancelTimer(timer);
              int abandonedRequests = done.succeeded() ? 0 : requests.get();
              int abandonedWork = done.succeeded() ? 0 : blockingWork.get();
              return Future.succeededFuture(
                  new Drained(
                      inFlight,
                      abandonedRequests,
                      abandonedWork,
                      Duration.ofNanos(System.nanoTime() - started)));
            });
  }

  private void finished(AtomicInteger counter) {
    counter.decrementAndGet();
    checkIdle();
  }

  private void checkIdle() {
    if (draining && requests.get() == 0 && blockingWork.get() == 0) {
      idle.tryComplete();
    }
  }
}
