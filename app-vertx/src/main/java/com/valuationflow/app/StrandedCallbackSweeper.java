package com.valuationflow.app;

import com.valuationflow.domain.usecase.ResumeStrandedCallbacks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs {@link ResumeStrandedCallbacks} at start-up and then every interval, on a worker thread,
 * never two runs at once: the next run is scheduled only once the previous one ended. A run that
 * fails (the store cannot be searched) is logged in one line and the next one tries again. The use
 * case logs one line per application it settles.
 */
final class StrandedCallbackSweeper {

  private static final System.Logger LOG =
      System.getLogger(StrandedCallbackSweeper.class.getName());

  private final Vertx vertx;
  private final ResumeStrandedCallbacks resumeStranded;
  private final Duration interval;
  private final Promise<Void> idle = Promise.promise();
  private long timer = -1;
  private boolean running;
  private boolean stopped;

  StrandedCallbackSweeper(Vertx vertx, ResumeStrandedCallbacks resumeStranded, Duration interval) {
    this.vertx = Objects.requireNonNull(vertx, "'vertx' must not be null");
    this.resumeStranded =
        Objects.requireNonNull(resumeStranded, "'resumeStranded' must not be null");
    this.interval = Objects.requireNonNull(interval, "'interval' must not be null");
  }

  /** Runs once now, then every interval after the end of the previous run. */
  synchronized void start() {
    run();
  }

  private synchronized void run() {
    timer = -1;
    if (stopped) {
      return;
    }
    running = true;
    vertx
        .executeBlocking(resumeStranded::resumeAll, false)
        .onComplete(
            result -> {
              if (result.failed()) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "Searching for stranded callbacks failed ({0}); trying again in {1} s",
                    Main.describe(result.cause()),
                    interval.toSeconds());
              } else if (result.result().failed() > 0) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "{0} stranded callback(s) could not be applied yet; trying again in {1} s",
                    result.result().failed(),
                    interval.toSeconds());
              }
              finished();
            });
  }

  private synchronized void finished() {
    running = false;
    if (stopped) {
      idle.tryComplete();
      return;
    }
    timer = vertx.setTimer(interval.toMillis(), id -> run());
  }

  /**
   * Runs no more; completes once a run in progress has ended, or after the grace period, whichever
   * comes first.
   */
  synchronized Future<Void> stop(Duration grace) {
    if (!stopped) {
      stopped = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      if (!running) {
        idle.tryComplete();
      } else {
        vertx.setTimer(Math.max(1, grace.toMillis()), id -> idle.tryComplete());
      }
    }
    return idle.future();
  }
}
