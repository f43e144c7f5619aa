package com.valuationflow.app.load;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What a load run measures: request latencies, and the JVM's heap and threads while it runs. */
final class LoadFigures {

  private LoadFigures() {}

  /** Latencies of one kind of request, in a fixed-size array. */
  static final class Latencies {
    private final long[] nanos;
    private final AtomicInteger count = new AtomicInteger();

    Latencies(int capacity) {
      this.nanos = new long[capacity];
    }

    void record(long startNanos) {
      int slot = count.getAndIncrement();
      if (slot < nanos.length) {
        nanos[slot] = System.nanoTime() - startNanos;
      }
    }

    /** {@code n=…, p50=… ms, p95=…, p99=…, max=…}; call once the requests have completed. */
    String summary() {
      int n = Math.min(count.get(), nanos.length);
      if (n == 0) {
        return "n=0";
      }
      long[] sorted = Arrays.copyOf(nanos, n);
      Arrays.sort(sorted);
      return String.format(
          Locale.ROOT,
          "n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms",
          n,
          millis(percentile(sorted, 50)),
          millis(percentile(sorted, 95)),
          millis(percentile(sorted, 99)),
          millis(sorted[n - 1]));
    }

    private static long percentile(long[] sorted, int percent) {
      return sorted[Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    private static double millis(long nanos) {
      return nanos / 1e6;
    }
  }

  /**
   * Samples used heap, live threads and the workflow engine's worker threads every 100 ms, keeping
   * the peaks.
   */
  static final class Resources implements AutoCloseable {
    private static final String ENGINE_WORKER = "workflow-engine-worker";

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicInteger peakEngineWorkers = new AtomicInteger();
    private final ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "load-sampler");
              thread.setDaemon(true);
              return thread;
            });

    Resources() {
      threads.resetPeakThreadCount();
      sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void sample() {
      peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      Thread[] all = new Thread[Thread.activeCount() * 2 + 16];
      int live = Thread.enumerate(all);
      int workers = 0;
      for (int i = 0; i < live; i++) {
        if (all[i].getName().startsWith(ENGINE_WORKER)) {
          workers++;
        }
      }
      peakEngineWorkers.accumulateAndGet(workers, Math::max);
    }

    /** Heap still used after a full collection: what the run left behind. */
    long retainedHeapAfterGc() {
      System.gc();
      return memory.getHeapMemoryUsage().getUsed();
    }

    String summary() {
      return String.format(
          Locale.ROOT,
          "peak heap used %d MiB (max %d MiB), peak threads %d, peak engine workers %d",
          peakHeap.get() >> 20,
          memory.getHeapMemoryUsage().getMax() >> 20,
          threads.getPeakThreadCount(),
          peakEngineWorkers.get());
    }

    @Override
    public void close() {
      sampler.shutdownNow();
    }
  }
}
