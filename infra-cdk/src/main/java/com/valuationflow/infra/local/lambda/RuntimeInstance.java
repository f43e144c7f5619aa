package com.valuationflow.infra.local.lambda;

import com.valuationflow.infra.local.AwsServiceError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One execution environment of a function: a runtime process started on its first invocation, and
 * the Runtime API it takes invocations from, one at a time. An environment whose process ended,
 * timed out or failed to initialize is dead; the pool starts another.
 */
final class RuntimeInstance implements RuntimeApi.Environment, AutoCloseable {

  /** Lambda's limit on the init phase, which comes before the function's timeout. */
  static final Duration INIT_LIMIT = Duration.ofSeconds(10);

  private static final int NO_EXIT = Integer.MIN_VALUE;

  private final FunctionConfig function;
  private final String label;
  private final RuntimeCommand command;
  private final FunctionLog log;
  private final ScheduledExecutorService timers;
  private final RuntimeApi api;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private volatile Pending current;
  private volatile String lastRequestId = "INIT";
  private volatile boolean dead;
  private volatile int exitCode = NO_EXIT;
  private Process process;
  private volatile long launchedAt;
  private volatile Duration initDuration;
  private boolean initReported;

  RuntimeInstance(
      FunctionConfig function,
      String label,
      RuntimeCommand command,
      FunctionLog log,
      ScheduledExecutorService timers) {
    this.function = function;
    this.label = label;
    this.command = command;
    this.log = log;
    this.timers = timers;
    this.api = new RuntimeApi(this, function.name() + "-" + label);
  }

  boolean alive() {
    return !dead;
  }

  /** Runs one invocation to its end: the function's result or error, or Lambda's. */
  InvokeResult invoke(String requestId, byte[] payload, String invokedArn) {
    Pending pending = new Pending(requestId, payload, invokedArn);
    long started = System.nanoTime();
    current = pending;
    log.start(label, requestId);
    try {
      Duration limit = launch(pending);
      if (limit != null) {
        // A runtime that does not take the invocation in time is as good as one that hangs.
        pending.timer =
            timers.schedule(() -> notTaken(pending), limit.toMillis(), TimeUnit.MILLISECONDS);
        queue.add(pending);
        int code = exitCode;
        if (code != NO_EXIT) {
          pending.result.complete(LambdaErrors.exited(requestId, code));
        }
      }
      return pending.result.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof AwsServiceError error ? error : e;
    } finally {
      pending.cancelTimer();
      current = null;
      long from = pending.deliveredAt != 0 ? pending.deliveredAt : started;
      log.end(
          label,
          requestId,
          Duration.ofNanos(System.nanoTime() - from),
          initToReport(),
          peakMemoryMb());
    }
  }

  /**
   * Starts the runtime process if it is not running.
   *
   * @return how long the runtime has to take the invocation: Lambda's init limit and the function's
   *     timeout when it just started, its timeout when warm; null if it cannot start
   */
  private synchronized Duration launch(Pending pending) {
    if (process != null) {
      return function.timeout();
    }
    launchedAt = System.nanoTime();
    try {
      process = command.builder(function, api.address()).redirectErrorStream(true).start();
    } catch (IOException e) {
      dead = true;
      log.write(label, pending.requestId, "Cannot start the runtime: " + e);
      pending.result.complete(LambdaErrors.exited(pending.requestId, 127));
      return null;
    }
    log.pump(process.getInputStream(), label, () -> lastRequestId);
    process.onExit().thenAccept(ended -> exited(ended.exitValue()));
    return INIT_LIMIT.plus(function.timeout());
  }

  @Override
  public Invocation next() throws InterruptedException {
    if (initDuration == null) {
      initDuration = Duration.ofNanos(System.nanoTime() - launchedAt);
    }
    while (true) {
      Pending pending = queue.take();
      synchronized (pending) {
        if (pending.result.isDone()) {
          continue;
        }
        pending.cancelTimer();
        pending.deliveredAt = System.nanoTime();
        lastRequestId = pending.requestId;
        long timeout = function.timeout().toMillis();
        pending.timer = timers.schedule(() -> timedOut(pending), timeout, TimeUnit.MILLISECONDS);
        return new Invocation(
            pending.requestId,
            System.currentTimeMillis() + timeout,
            pending.invokedArn,
            traceId(),
            pending.payload);
      }
    }
  }

  @Override
  public boolean respond(String requestId, byte[] payload) {
    return complete(requestId, InvokeResult.success(payload));
  }

  @Override
  public boolean fail(String requestId, byte[] error) {
    return complete(requestId, InvokeResult.unhandled(error));
  }

  @Override
  public void initFailed(byte[] error) {
    // Lambda discards an environment whose runtime could not initialize.
    dead = true;
    Pending pending = current;
    if (pending != null) {
      pending.result.complete(InvokeResult.unhandled(error));
    }
  }

  private boolean complete(String requestId, InvokeResult result) {
    Pending pending = current;
    if (pending == null || !pending.requestId.equals(requestId) || pending.deliveredAt == 0) {
      return false;
    }
    pending.result.complete(result);
    return true;
  }

  private void notTaken(Pending pending) {
    synchronized (pending) {
      if (pending.deliveredAt == 0) {
        timedOut(pending);
      }
    }
  }

  private void timedOut(Pending pending) {
    if (pending.result.isDone()) {
      return;
    }
    // Dead before the invoker sees the result: else, on a busy machine, it could hand this
    // environment back to the pool and the next invocation take it before the kill below.
    dead = true;
    if (pending.result.complete(LambdaErrors.timedOut(pending.requestId, function.timeout()))) {
      log.write(label, pending.requestId, "Task timed out: stopping the execution environment");
      kill();
    }
  }

  private void exited(int code) {
    boolean expected = dead;
    exitCode = code;
    dead = true;
    Pending pending = current;
    if (pending != null && pending.result.complete(LambdaErrors.exited(pending.requestId, code))) {
      log.write(label, pending.requestId, "Runtime exited with status " + code);
    } else if (!expected) {
      log.write(label, lastRequestId, "Runtime exited with status " + code);
    }
  }

  private synchronized void kill() {
    dead = true;
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  /**
   * The runtime process's peak resident memory so far, as Lambda's {@code Max Memory Used}; -1
   * where the system does not tell ({@code /proc} is Linux's).
   */
  private long peakMemoryMb() {
    Process running;
    synchronized (this) {
      running = process;
    }
    if (running == null) {
      return -1;
    }
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(running.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          long kilobytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return (kilobytes + 1023) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Ended, or not Linux.
    }
    return -1;
  }

  private Duration initToReport() {
    synchronized (this) {
      if (initReported || initDuration == null) {
        return null;
      }
      initReported = true;
      return initDuration;
    }
  }

  /** Such as {@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0}. */
  private static String traceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] root = new byte[12];
    byte[] parent = new byte[8];
    random.nextBytes(root);
    random.nextBytes(parent);
    HexFormat hex = HexFormat.of();
    return "Root=1-"
        + Long.toHexString(System.currentTimeMillis() / 1000)
        + "-"
        + hex.formatHex(root)
        + ";Parent="
        + hex.formatHex(parent)
        + ";Sampled=0";
  }

  /** Stops the process and the Runtime API; an invocation in flight fails as a service error. */
  @Override
  public void close() {
    dead = true;
    Pending pending = current;
    if (pending != null) {
      pending.result.completeExceptionally(
          new AwsServiceError("ServiceException", "The local Lambda service stopped", 500));
    }
    kill();
    api.close();
    awaitExit();
  }

  /** Waits briefly for the killed process, so that its files are no longer written once closed. */
  private void awaitExit() {
    Process ended;
    synchronized (this) {
      ended = process;
    }
    if (ended == null) {
      return;
    }
    try {
      ended.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An invocation of this environment, from its start to its result. */
  private static final class Pending {
    final String requestId;
    final byte[] payload;
    final String invokedArn;
    final CompletableFuture<InvokeResult> result = new CompletableFuture<>();
    volatile long deliveredAt;
    volatile ScheduledFuture<?> timer;

    Pending(String requestId, byte[] payload, String invokedArn) {
      this.requestId = requestId;
      this.payload = payload;
      this.invokedArn = invokedArn;
    }

    void cancelTimer() {
      ScheduledFuture<?> scheduled = timer;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
    }
  }
}
