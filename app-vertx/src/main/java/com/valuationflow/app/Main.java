package com.valuationflow.app;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Starts the app with the settings from the environment; see {@link AppConfig}. */
public final class Main {

  private static final System.Logger LOG = System.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s - %5$s%6$s%n");
    }
    AppConfig config;
    try {
      config = AppConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("ValuationFlow cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    ValuationFlowApplication app;
    try {
      app =
          ValuationFlowApplication.start(vertx, config)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("ValuationFlow cannot start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    LOG.log(
        System.Logger.Level.INFO,
        "ValuationFlow listening on port {0,number,#} (callbacks to {1})",
        app.port(),
        config.callbackUrl(app.port()));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    app.stop()
                        .compose(stopped -> vertx.close())
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(15, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    System.err.println("ValuationFlow did not stop cleanly: " + e.getMessage());
                  }
                },
                "valuationflow-shutdown"));
  }
}
