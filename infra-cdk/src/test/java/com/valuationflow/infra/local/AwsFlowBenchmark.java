package com.valuationflow.infra.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.benchmark.AppProcess;
import com.valuationflow.app.benchmark.BenchmarkReport;
import com.valuationflow.app.benchmark.BenchmarkValuer;
import com.valuationflow.app.benchmark.Cpu;
import com.valuationflow.app.benchmark.LatencyPlot;
import com.valuationflow.app.benchmark.OpenLoad;
import com.valuationflow.app.benchmark.Scenarios;
import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.infra.InfraApp;
import com.valuationflow.infra.local.InjectedLatency.Delay;
import com.valuationflow.infra.local.lambda.LocalLambda;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code MODE=aws} counterpart of app-vertx's {@code InMemoryFlowBenchmark}: the same scenarios
 * (the no-op ceiling, the webhook alone, full flows), open-model ramp, per-step figures, table and
 * plot, with the app in a process of its own in {@code MODE=aws} against the {@linkplain
 * LocalDeployment local deployment} (local Step Functions, DynamoDB Local, the request-valuation
 * function in a local Lambda runtime, the IAM-checking endpoint), {@code bench.awsLatencyMs} (100)
 * added before every AWS call. The app has no mock valuer in {@code MODE=aws}: the benchmark's
 * valuer answers the function's valuation requests and delivers the signed callbacks itself. Writes
 * {@code target/benchmark/aws.txt} and {@code aws.png}. Runs only with {@code -Pbenchmark}: {@code
 * ./mvnw -pl infra-cdk -am verify -Pbenchmark -Dtest=AwsFlowBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class AwsFlowBenchmark {

  private static final Path OUT = Path.of("target", "benchmark");

  /** How long a step waits for its operations to end after its last start. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(15);

  @Test
  void awsCapacity() throws Exception {
    int runs = Integer.getInteger("bench.runs", 1);
    Duration step = Duration.ofSeconds(Integer.getInteger("bench.stepSeconds", 5));
    Duration warmUp = Duration.ofSeconds(Integer.getInteger("bench.warmUpSeconds", 5));
    Duration awsLatency = Duration.ofMillis(Integer.getInteger("bench.awsLatencyMs", 100));
    Duration valuerDelay = Duration.ofMillis(Integer.getInteger("bench.valuerDelayMs", 500));
    List<String> wanted =
        Arrays.asList(System.getProperty("bench.scenarios", "ceiling,webhook,flows").split(","));
    Vertx vertx = Vertx.vertx();
    // The valuer's own pool: a backlog of the load's requests must not hold up its callbacks.
    HttpClient valuerClient =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
    // As many connections as the app admits requests at once: each AWS call here takes the
    // injected latency, so that a callback takes half a second or more.
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(Integer.getInteger("bench.connections", 1000)));
    int valuerPort = AppAgainstLocalDeployment.freePort();
    String valuerBase = "http://localhost:" + valuerPort;
    Path directory =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "local-aws-tests")), "aws-benchmark");
    StringBuilder report = new StringBuilder();
    List<Double> ratios = new ArrayList<>();
    List<OpenLoad.Step> plotted = new ArrayList<>();
    try (LocalDeployment deployment =
        LocalDeployment.start(
            Map.of(
                "publicBaseUrl",
                valuerBase,
                "valuerUrl",
                valuerBase + "/valuer/valuations",
                "valuationTimeoutSeconds",
                "3600"),
            directory.resolve("work"))) {
      injectLatency(deployment, awsLatency);
      Map<String, String> settings = deployment.appSettings();
      Optional<String> apiKey = Optional.of(deployment.appApiKey());
      WebhookSecret secret = WebhookSecret.parse(settings.get("WEBHOOK_SECRET"));
      BenchmarkValuer valuer =
          new BenchmarkValuer(
              vertx,
              valuerClient,
              new BenchmarkValuer.CallingBack(secret, valuerDelay, Duration.ofMillis(100), apiKey));
      HttpServer valuerServer =
          valuer
              .listen(valuerPort)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      try {
        report.append(header(runs, step, warmUp, awsLatency, valuerDelay, deployment));
        System.out.print(report);
        for (int run = 1; run <= runs; run++) {
          List<BenchmarkReport.Scenario> scenarios =
              run(vertx, client, valuer, secret, deployment, run, wanted, step, warmUp, awsLatency);
          String table = BenchmarkReport.table(BenchmarkReport.runTitle(run, runs, ""), scenarios);
          double ratio = BenchmarkReport.ratio(scenarios, Scenarios.FLOWS, Scenarios.CEILING);
          ratios.add(ratio);
          String ratioLine =
              String.format(Locale.ROOT, "full flows/s ÷ ceiling req/s: %.5f%n%n", ratio);
          System.out.print(table + ratioLine);
          report.append(table).append(ratioLine);
          plotted = BenchmarkReport.allSteps(scenarios);
        }
      } finally {
        valuerServer.close();
      }
    } finally {
      client.close();
      valuerClient.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    String summary =
        String.format(
            Locale.ROOT,
            "full flows/s ÷ ceiling req/s over %d run(s): median %.5f%n",
            runs,
            BenchmarkReport.median(ratios));
    System.out.print(summary);
    report.append(summary);
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve("aws.txt"), report, StandardCharsets.UTF_8);
    LatencyPlot.write(
        String.format(
            Locale.ROOT,
            "MODE=aws, local deployment, %d ms per AWS call: latency against offered load",
            awsLatency.toMillis()),
        plotted,
        OUT.resolve("aws.png"));
    assertThat(plotted).isNotEmpty();
  }

  private static List<BenchmarkReport.Scenario> run(
      Vertx vertx,
      HttpClient client,
      BenchmarkValuer valuer,
      WebhookSecret secret,
      LocalDeployment deployment,
      int run,
      List<String> wanted,
      Duration step,
      Duration warmUp,
      Duration awsLatency)
      throws Exception {
    Map<String, String> environment = new LinkedHashMap<>(deployment.appSettings());
    environment.put("PORT", "0");
    environment.put("MANAGEMENT_PORT", "0");
    List<String> jvmOptions = AppProcess.jvmOptionsFromProperties();
    List<Context> senders = List.of(vertx.getOrCreateContext(), vertx.getOrCreateContext());
    try (AppProcess app =
        AppProcess.start(
            environment,
            jvmOptions,
            System.getProperty("java.class.path"),
            OUT.resolve("aws-app-" + run + ".log"))) {
      valuer.appListensOn(app.port());
      long appPid = app.pid();
      OpenLoad load =
          new OpenLoad(
              vertx,
              senders,
              app::cpuNanos,
              () -> Cpu.ownProcessAndDescendantsNanos(appPid),
              20_000,
              DRAIN_LIMIT);
      AtomicLong parkingStarted = new AtomicLong();
      Scenarios.Options options =
          Scenarios.Options.DEFAULTS
              .withApiKey(deployment.appApiKey())
              // The function parks tokens at tens a second; then it records the valuer's answer an
              // AWS call after it came. Parking is no part of what is measured: it goes without
              // the injected latency, as fast as the local services go.
              .withParking(Duration.ofMinutes(3), Duration.ofSeconds(3))
              .withParkingHooks(
                  () -> {
                    parkingStarted.set(System.nanoTime());
                    deployment.latency().clear();
                  },
                  () -> {
                    injectLatency(deployment, awsLatency);
                    System.out.printf(
                        Locale.ROOT,
                        "(parking took %.1f s)%n",
                        (System.nanoTime() - parkingStarted.get()) / 1e9);
                  });
      String runId = "r" + run + Long.toString(System.nanoTime() % 100_000, 36);
      Scenarios scenarios =
          new Scenarios(client, load, valuer, secret, app.port(), step, warmUp, runId, options);
      warmFunction(
          new Scenarios(
              client,
              load,
              valuer,
              secret,
              app.port(),
              step,
              warmUp,
              runId + "w",
              options.withParking(Duration.ofSeconds(60), Duration.ZERO)),
          deployment);
      return scenarios.run(wanted, new Scenarios.FirstRates(1000, 20, 5), app);
    }
  }

  /**
   * Starts the request-valuation function's instances before anything is measured. A cold start
   * here is a whole JVM's (about 2 s of CPU; ten at once on two busy cores outlast a first
   * invocation's limit), and the local Lambda starts one whenever every instance is busy, up to
   * {@link LocalLambda#DEFAULT_MAX_INSTANCES}: so they are started two at a time, by ever more
   * applications at once.
   */
  private static void warmFunction(Scenarios warming, LocalDeployment deployment)
      throws InterruptedException {
    String function =
        deployment.outputs().get(InfraApp.LOAN_PROCESSOR_STACK).get("RequestValuationFunctionName");
    long started = System.nanoTime();
    for (int concurrent = 2; concurrent <= LocalLambda.DEFAULT_MAX_INSTANCES; concurrent += 2) {
      warming.park(concurrent);
    }
    System.out.printf(
        Locale.ROOT,
        "request-valuation function: %d instances warm after %.1f s%n",
        deployment.services().lambda().instances(function),
        (System.nanoTime() - started) / 1e9);
  }

  private static void injectLatency(LocalDeployment deployment, Duration latency) {
    if (!latency.isZero()) {
      deployment.latency().set("*", Delay.beforeCall(latency));
    }
  }

  private static String header(
      int runs,
      Duration step,
      Duration warmUp,
      Duration awsLatency,
      Duration valuerDelay,
      LocalDeployment deployment) {
    return String.format(
        Locale.ROOT,
        "MODE=aws benchmark against the local deployment (ready in %.1f s): %d run(s), steps of %d"
            + " s after a %d s warm-up, %d cores, load average %s; %d ms injected before every AWS"
            + " call; the valuer calls back %d ms after its answer. The app in its own process (app"
            + " CPU); the load generator, the valuer and the local AWS services in this one, with"
            + " the function processes (client CPU)%n",
        deployment.startUp().toMillis() / 1000.0,
        runs,
        step.toSeconds(),
        warmUp.toSeconds(),
        Runtime.getRuntime().availableProcessors(),
        BenchmarkReport.loadAverage(),
        awsLatency.toMillis(),
        valuerDelay.toMillis());
  }
}
