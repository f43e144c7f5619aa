package com.valuationflow.app.benchmark;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * An open-model load generator: operations start at a fixed offered rate whatever the server's
 * answers, each at its intended time, and an operation's latency runs from that intended time to
 * its completion, so that a stalled server shows in the latency rather than slowing the load (no
 * coordinated omission). Operations start on the given event-loop contexts, taking turns.
 */
public final class OpenLoad {

  /** One operation, started when due; completes {@code true} when it succeeded. */
  public interface Operation {
    Future<Boolean> start(long index);
  }

  /**
   * What one step at one offered rate came to.
   *
   * @param achieved successful operations per second, from the first intended start to the last
   *     completion less the fastest operation's latency (at least the step's duration): an
   *     operation that takes a second at the least, as a full flow against AWS does, does not count
   *     as falling behind, a queue growing through the step does
   * @param latency successful operations' latency in microseconds
   * @param appCpuMicros the server process's CPU time per successful operation
   * @param clientCpuMicros the load generator's CPU time per successful operation: this process's,
   *     unless told otherwise
   */
  public record Step(
      String scenario,
      double offered,
      long succeeded,
      long failed,
      double achieved,
      Histogram latency,
      double appCpuMicros,
      double clientCpuMicros) {

    /** Whether the server kept up: nearly all of the offered rate, and nothing failed. */
    public boolean keptUp() {
      return achieved >= 0.95 * offered && failed <= succeeded / 1000;
    }

    /** The successful operations' latency at this percentile, in milliseconds. */
    public double percentileMillis(double percentile) {
      return latency.getTotalCount() == 0
          ? Double.NaN
          : latency.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private static final long HIGHEST_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final Vertx vertx;
  private final List<Context> senders;
  private final LongSupplier appCpuNanos;
  private final LongSupplier clientCpuNanos;
  private final int maxInFlight;
  private final Duration drainLimit;

  /**
   * @param appCpuNanos the server process's CPU time so far
   * @param maxInFlight beyond this many unfinished operations, a due one is not started but counted
   *     failed, so that an overloaded server cannot exhaust the generator's memory
   * @param drainLimit how long after the last start the step waits for operations to finish
   */
  public OpenLoad(
      Vertx vertx,
      List<Context> senders,
      LongSupplier appCpuNanos,
      int maxInFlight,
      Duration drainLimit) {
    this(vertx, senders, appCpuNanos, Cpu::ownProcessNanos, maxInFlight, drainLimit);
  }

  /**
   * @param clientCpuNanos the client side's CPU time so far, such as this process's with the local
   *     services it started
   */
  public OpenLoad(
      Vertx vertx,
      List<Context> senders,
      LongSupplier appCpuNanos,
      LongSupplier clientCpuNanos,
      int maxInFlight,
      Duration drainLimit) {
    this.vertx = vertx;
    this.senders = List.copyOf(senders);
    this.appCpuNanos = appCpuNanos;
    this.clientCpuNanos = clientCpuNanos;
    this.maxInFlight = maxInFlight;
    this.drainLimit = drainLimit;
  }

  /** Offers operations at this rate for this long; what the step came to once they ended. */
  public Step run(String scenario, double rate, Duration duration, Operation operation)
      throws InterruptedException {
    long total = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
    double period = 1e9 / rate;
    Histogram latency = new Histogram(HIGHEST_LATENCY_MICROS, 3);
    AtomicLong next = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    AtomicLong succeeded = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong lastCompletion = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(1);
    AtomicLong done = new AtomicLong();
    long appCpuBefore = appCpuNanos.getAsLong();
    long clientCpuBefore = clientCpuNanos.getAsLong();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
    Runnable completedOne =
        () -> {
          if (done.incrementAndGet() == total) {
            finished.countDown();
          }
        };
    for (Context sender : senders) {
      sender.runOnContext(
          ignored ->
              vertx.setPeriodic(
                  1,
                  timer -> {
                    long elapsed = System.nanoTime() - start;
                    if (elapsed < 0) {
                      return;
                    }
                    long due = Math.min(total, (long) (elapsed / period) + 1);
                    for (long i = next.get(); i < due; i = next.get()) {
                      if (!next.compareAndSet(i, i + 1)) {
                        continue;
                      }
                      long intended = start + (long) (i * period);
                      if (inFlight.get() >= maxInFlight) {
                        failed.incrementAndGet();
                        completedOne.run();
                        continue;
                      }
                      inFlight.incrementAndGet();
                      started(operation, i)
                          .onComplete(
                              outcome -> {
                                long now = System.nanoTime();
                                inFlight.decrementAndGet();
                                if (outcome.succeeded() && outcome.result()) {
                                  synchronized (latency) {
                                    latency.recordValue(
                                        Math.max(
                                            0,
                                            Math.min(
                                                HIGHEST_LATENCY_MICROS, (now - intended) / 1000)));
                                  }
                                  succeeded.incrementAndGet();
                                  lastCompletion.accumulateAndGet(now, Math::max);
                                } else {
                                  failed.incrementAndGet();
                                }
                                completedOne.run();
                              });
                    }
                    if (next.get() >= total) {
                      vertx.cancelTimer(timer);
                    }
                  }));
    }
    boolean allDone = finished.await(duration.plus(drainLimit).toMillis(), TimeUnit.MILLISECONDS);
    long unfinished = allDone ? 0 : total - done.get();
    Histogram copy;
    synchronized (latency) {
      copy = latency.copy();
    }
    long fastest =
        copy.getTotalCount() == 0 ? 0 : TimeUnit.MICROSECONDS.toNanos(copy.getMinValue());
    long end = Math.max(lastCompletion.get() - fastest, start + duration.toNanos());
    double seconds = (end - start) / 1e9;
    long ok = Math.max(1, succeeded.get());
    return new Step(
        scenario,
        rate,
        succeeded.get(),
        failed.get() + unfinished,
        succeeded.get() / seconds,
        copy,
        (appCpuNanos.getAsLong() - appCpuBefore) / 1000.0 / ok,
        (clientCpuNanos.getAsLong() - clientCpuBefore) / 1000.0 / ok);
  }

  private static Future<Boolean> started(Operation operation, long index) {
    try {
      return operation.start(index);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
