package com.valuationflow.app.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.webhook.WebhookSecret;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The in-memory app's capacity, side by side in one run: its no-op ceiling, the webhook alone and
 * full flows (see {@link Scenarios}), the app in a process of its own with {@code
 * VALUER_DELAY_MS=0}, the load from this process over loopback HTTP. Prints each step, a table per
 * run and the median ratio of full flows to the ceiling over the runs; writes them and a plot of
 * latency against offered load to {@code target/benchmark/}. Runs only with {@code -Pbenchmark}.
 */
class InMemoryFlowBenchmark {

  private static final Path OUT = Path.of("target", "benchmark");
  private static final String THIS_BUILD = "this build";

  /**
   * The app's classpath per variant: this build's, and with {@code -Dbench.baselineClasses=DIR}
   * also a baseline whose app classes (an older build's {@code app-vertx/target/classes}) replace
   * this build's, run in turn with it, so that both meet the same machine load.
   */
  private static Map<String, String> variants() {
    Map<String, String> variants = new LinkedHashMap<>();
    String classpath = System.getProperty("java.class.path");
    String baseline = System.getProperty("bench.baselineClasses", "").strip();
    if (!baseline.isEmpty()) {
      String own = Path.of("target", "classes").toAbsolutePath().toString();
      variants.put(
          "baseline",
          Arrays.stream(classpath.split(java.io.File.pathSeparator))
              .map(
                  entry ->
                      Path.of(entry).toAbsolutePath().toString().equals(own) ? baseline : entry)
              .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
    }
    variants.put(THIS_BUILD, classpath);
    return variants;
  }

  @Test
  void inMemoryCapacity() throws Exception {
    int runs = Integer.getInteger("bench.runs", 1);
    Duration step = Duration.ofSeconds(Integer.getInteger("bench.stepSeconds", 5));
    Duration warmUp = Duration.ofSeconds(Integer.getInteger("bench.warmUpSeconds", 5));
    List<String> wanted =
        Arrays.asList(System.getProperty("bench.scenarios", "ceiling,webhook,flows").split(","));
    StringBuilder report = new StringBuilder();
    report.append(header(runs, step, warmUp));
    System.out.print(report);
    Map<String, String> variants = variants();
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    Map<String, List<Double>> cpuRatios = new LinkedHashMap<>();
    List<OpenLoad.Step> plotted = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      for (int run = 1; run <= runs; run++) {
        for (Map.Entry<String, String> variant : variants.entrySet()) {
          List<BenchmarkReport.Scenario> scenarios = run(vertx, run, variant, wanted, step, warmUp);
          String table =
              BenchmarkReport.table(
                  BenchmarkReport.runTitle(run, runs, variants.size() > 1 ? variant.getKey() : ""),
                  scenarios);
          double ratio = BenchmarkReport.ratio(scenarios, Scenarios.FLOWS, Scenarios.CEILING);
          double cpuRatio = BenchmarkReport.cpuRatio(scenarios, Scenarios.CEILING, Scenarios.FLOWS);
          ratios.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(ratio);
          cpuRatios.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(cpuRatio);
          String ratioLine =
              String.format(
                  Locale.ROOT,
                  "full flows/s ÷ ceiling req/s: %.4f; app CPU per ceiling request ÷ app CPU per"
                      + " flow: %.4f%n%n",
                  ratio,
                  cpuRatio);
          System.out.print(table + ratioLine);
          report.append(table).append(ratioLine);
          if (variant.getKey().equals(THIS_BUILD)) {
            plotted = BenchmarkReport.allSteps(scenarios);
          }
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    StringBuilder summary = new StringBuilder();
    for (String variant : variants.keySet()) {
      summary.append(
          String.format(
              Locale.ROOT,
              "%s: full flows/s ÷ ceiling req/s over %d run(s): %s, median %.4f; app CPU per"
                  + " ceiling request ÷ per flow: median %.4f%n",
              variant,
              runs,
              ratios.get(variant).stream().map(r -> String.format(Locale.ROOT, "%.4f", r)).toList(),
              BenchmarkReport.median(ratios.get(variant)),
              BenchmarkReport.median(cpuRatios.get(variant))));
    }
    System.out.print(summary);
    report.append(summary);
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve("in-memory.txt"), report, StandardCharsets.UTF_8);
    LatencyPlot.write(
        "In memory: latency against offered load (last run; 2 cores, app and load on one machine)",
        plotted,
        OUT.resolve("in-memory.png"));
    assertThat(plotted).isNotEmpty();
  }

  private List<BenchmarkReport.Scenario> run(
      Vertx vertx,
      int run,
      Map.Entry<String, String> variant,
      List<String> wanted,
      Duration step,
      Duration warmUp)
      throws Exception {
    int connections = Integer.getInteger("bench.connections", 64);
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(connections));
    // The pass-through hops get a pool of their own: a backlog of the load's requests must not
    // hold up the app's own valuation requests and callbacks.
    HttpClient passThrough =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
    BenchmarkValuer valuer = new BenchmarkValuer(vertx, passThrough);
    HttpServer valuerServer =
        valuer.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String valuerBase = "http://localhost:" + valuerServer.actualPort();
    String secret = secret();
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("PORT", "0");
    environment.put("VALUER_DELAY_MS", "0");
    environment.put("WEBHOOK_SECRET", secret);
    environment.put("VALUER_URL", valuerBase + "/valuer/valuations");
    environment.put("PUBLIC_BASE_URL", valuerBase);
    List<String> jvmOptions = AppProcess.jvmOptionsFromProperties();
    String jfr = System.getProperty("bench.jfr", "").strip();
    if (!jfr.isEmpty()) {
      jvmOptions.add(
          "-XX:StartFlightRecording=settings=profile,filename="
              + Path.of(jfr).toAbsolutePath()
              + "."
              + run
              + "-"
              + variant.getKey().replace(' ', '-')
              + ".jfr");
    }
    List<Context> senders = List.of(vertx.getOrCreateContext(), vertx.getOrCreateContext());
    try (AppProcess app =
        AppProcess.start(
            environment,
            jvmOptions,
            variant.getValue(),
            OUT.resolve("app-" + run + "-" + variant.getKey().replace(' ', '-') + ".log"))) {
      valuer.appListensOn(app.port());
      OpenLoad load = new OpenLoad(vertx, senders, app::cpuNanos, 20_000, Duration.ofSeconds(10));
      Scenarios scenarios =
          new Scenarios(
              client,
              load,
              valuer,
              WebhookSecret.parse(secret),
              app.port(),
              step,
              warmUp,
              "r" + run + Long.toString(System.nanoTime() % 100_000, 36),
              Scenarios.Options.DEFAULTS);
      return scenarios.run(wanted, new Scenarios.FirstRates(500, 100, 50), app);
    } finally {
      valuerServer.close();
      client.close();
      passThrough.close();
    }
  }

  private static String secret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return WebhookSecret.PREFIX + Base64.getEncoder().encodeToString(key);
  }

  private static String header(int runs, Duration step, Duration warmUp) {
    return String.format(
        Locale.ROOT,
        "In-memory benchmark: %d run(s), steps of %d s after a %d s warm-up, %d cores, load"
            + " average %s; the app in its own process (app CPU), the load generator and the"
            + " benchmark's valuer hops in this one (client CPU)%n",
        runs,
        step.toSeconds(),
        warmUp.toSeconds(),
        Runtime.getRuntime().availableProcessors(),
        BenchmarkReport.loadAverage());
  }
}
