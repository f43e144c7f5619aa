package com.valuationflow.inmemory.workflow;

import java.time.Duration;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Up to {@code size} threads, started on demand and ended when idle; the rest waits its turn in
 * order, and the pool knows how long the oldest waiting task has waited.
 */
final class InvocationPool extends ThreadPoolExecutor {

  InvocationPool(int size, Duration idleKeepAlive, ThreadFactory threads) {
    super(
        size,
        size,
        idleKeepAlive.toMillis(),
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        threads);
    allowCoreThreadTimeOut(true);
  }

  /** How long the task first in line has waited for a thread; zero when none waits. */
  Duration oldestWait() {
    return getQueue().peek() instanceof Waiting<?> waiting
        ? Duration.ofNanos(Math.max(0, System.nanoTime() - waiting.queuedAtNanos))
        : Duration.ZERO;
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
    return new Waiting<>(runnable, value);
  }

  private static final class Waiting<T> extends FutureTask<T> {
    private final long queuedAtNanos = System.nanoTime();

    Waiting(Runnable runnable, T value) {
      super(runnable, value);
    }
  }
}
