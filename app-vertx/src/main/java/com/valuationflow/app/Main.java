package com.valuationflow.app;

import com.valuationflow.app.http.InFlightRequests.Drained;
import com.valuationflow.app.logging.LoggingSettings;
import com.valuationflow.app.metrics.VertxMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the app with the settings from the environment; see {@link AppConfig}. SIGTERM (or Ctrl-C)
 * stops it gracefully, see {@link ValuationFlowApplication#stop()}, and prints one line saying how
 * it went: exit status 0 after a clean stop, 1 if work was abandoned or something failed to close.
 */
public final class Main {

  private static final System.Logger LOG = System.getLogger(Main.class.getName());

  /** Beyond the grace period: time to close connections, the adapters and Vert.x. */
  private static final Duration CLOSE_ALLOWANCE = Duration.ofSeconds(10);

  private Main() {}

  public static void main(String[] args) throws Exception {
    AppConfig config;
    try {
      LoggingSettings.fromEnvironment(System.getenv());
      config = AppConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("ValuationFlow cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    PrometheusMeterRegistry registry = VertxMetrics.newRegistry();
    Vertx vertx = VertxMetrics.newVertx(new VertxOptions(), registry);
    ValuationFlowApplication app;
    try {
      app =
          ValuationFlowApplication.start(vertx, config, Clock.systemUTC(), registry)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("ValuationFlow cannot start: " + describe(e));
      vertx.close();
      System.exit(1);
      return;
    }
    LOG.log(
        System.Logger.Level.INFO,
        "ValuationFlow listening on port {0,number,#} (callbacks to {1}); management port"
            + " {2,number,#}",
        app.port(),
        config.callbackUrl(app.port()),
        app.managementPort());
    // halt, not exit (which a shutdown hook must not call): otherwise SIGTERM's status is 143.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> Runtime.getRuntime().halt(stop(app, vertx, config.shutdownGrace())),
                "valuationflow-shutdown"));
  }

  /**
   * Stops the app, then Vert.x, and reports; the exit status. The JVM is already shutting down, so
   * this prints directly rather than through logging, whose handlers may be closed by now.
   */
  private static int stop(ValuationFlowApplication app, Vertx vertx, Duration grace) {
    long started = System.nanoTime();
    Duration limit = grace.plus(CLOSE_ALLOWANCE);
    try {
      Drained drained =
          app.stop()
              .compose(done -> vertx.close().map(done))
              .toCompletionStage()
              .toCompletableFuture()
              .get(limit.toMillis(), TimeUnit.MILLISECONDS);
      System.err.println(stoppedLine(drained, Duration.ofNanos(System.nanoTime() - started)));
      return drained.complete() ? 0 : 1;
    } catch (TimeoutException e) {
      System.err.println(
          "ValuationFlow did not stop cleanly: still closing after " + limit.toSeconds() + " s");
      return 1;
    } catch (Exception e) {
      System.err.println("ValuationFlow did not stop cleanly: " + describe(e));
      return 1;
    } finally {
      System.out.flush();
      System.err.flush();
    }
  }

  static String stoppedLine(Drained drained, Duration took) {
    String line =
        "ValuationFlow stopped: drained "
            + count(drained.inFlight() - drained.abandonedRequests(), "in-flight request")
            + " in "
            + took.toMillis()
            + " ms";
    if (drained.complete()) {
      return line;
    }
    return line
        + "; abandoned "
        + count(drained.abandonedRequests(), "request")
        + " and "
        + count(drained.abandonedBlockingWork(), "blocking task")
        + " still running after the grace period";
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /**
   * The failure's class and message (the class alone when it has none), past the wrappers of
   * futures, and its root cause likewise when there is another one.
   */
  static String describe(Throwable failure) {
    Throwable shown = failure;
    while ((shown instanceof ExecutionException || shown instanceof CompletionException)
        && shown.getCause() != null) {
      shown = shown.getCause();
    }
    Throwable root = shown;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == shown
        ? classAndMessage(shown)
        : classAndMessage(shown) + " (cause: " + classAndMessage(root) + ")";
  }

  private static String classAndMessage(Throwable failure) {
    String name = failure.getClass().getName();
    return failure.getMessage() == null ? name : name + ": " + failure.getMessage();
  }
}
