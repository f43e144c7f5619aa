package com.valuationflow.infra.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.app.webhook.WebhookSigner;
import com.valuationflow.infra.local.InjectedLatency.Delay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How many callbacks one app instance takes in {@code MODE=aws}, measured against the local
 * deployment with latency injected before every AWS call. Rounds of callbacks delivered all at once
 * to an app whose {@code MAX_IN_FLIGHT_REQUESTS} is {@code benchmark.callbacks}: one per
 * concurrency in {@code benchmark.concurrencies}, each beside its ideal (concurrency ÷ the AWS
 * calls' latency), so that where the local services' limit lies shows in the same run. Then {@code
 * benchmark.overloadCallbacks} at once to a second instance limited to {@code
 * benchmark.overloadLimit}, twice: with the same latency (the machine busy serving what it
 * admitted) and with {@code benchmark.overloadLatencyMs} (what it admitted waits on AWS, as it
 * would on AWS). The valuer retries a {@code 503} after its {@code Retry-After}. Prints the figures
 * and writes them to {@code infra-cdk/target/capacity-report.txt}; fails if a callback timed out,
 * was not applied, or the second instance refused none. Run it alone: {@code ./mvnw -pl infra-cdk
 * -am verify -Pbenchmark -Dtest=CallbackCapacityBenchmark}.
 */
@Tag("benchmark")
class CallbackCapacityBenchmark {

  private static final int CALLBACKS = Integer.getInteger("benchmark.callbacks", 1000);
  private static final int LATENCY_MS = Integer.getInteger("benchmark.awsLatencyMs", 100);
  private static final List<Integer> CONCURRENCIES =
      Arrays.stream(
              System.getProperty("benchmark.concurrencies", "10,25,50,100,250,1000").split(","))
          .map(String::strip)
          .map(Integer::valueOf)
          .map(c -> Math.min(c, CALLBACKS))
          .toList();
  private static final int OVERLOAD_LIMIT = Integer.getInteger("benchmark.overloadLimit", 200);
  private static final int OVERLOAD_CALLBACKS =
      Integer.getInteger("benchmark.overloadCallbacks", 400);
  private static final int OVERLOAD_LATENCY_MS =
      Integer.getInteger("benchmark.overloadLatencyMs", 1000);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The AWS calls of one callback, one after another: claim the {@code webhook-id}, accept the
   * callback, {@code SendTaskSuccess}, mark the task resumed, record the answer.
   */
  private static final int CALLS_PER_CALLBACK = 5;

  /** Applications beyond those needed, for the few whose function times out on a cold start. */
  private static final int SPARE = 100;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newFixedThreadPool(8))
          .build();
  private final List<String> report = new ArrayList<>();

  @Test
  void callbacksAtOnceCompleteAndExcessIsRefusedAtOnce() throws Exception {
    int port = AppAgainstLocalDeployment.freePort();
    int overloadPort = AppAgainstLocalDeployment.freePort();
    Path directory =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "local-aws-tests")), "capacity");
    try (ParkingValuer valuer = new ParkingValuer();
        LocalDeployment deployment =
            LocalDeployment.start(
                Map.of(
                    "publicBaseUrl",
                    "http://127.0.0.1:" + port,
                    "valuerUrl",
                    valuer.url().toString(),
                    "valuationTimeoutSeconds",
                    "3600"),
                directory.resolve("work"));
        AppAgainstLocalDeployment app =
            AppAgainstLocalDeployment.start(
                with(deployment.appSettings(), "MAX_IN_FLIGHT_REQUESTS", CALLBACKS),
                deployment.appApiKey(),
                port);
        AppAgainstLocalDeployment overloaded =
            AppAgainstLocalDeployment.start(
                with(deployment.appSettings(), "MAX_IN_FLIGHT_REQUESTS", OVERLOAD_LIMIT),
                deployment.appApiKey(),
                overloadPort)) {
      WebhookSigner signer =
          new WebhookSigner(
              WebhookSecret.parse(deployment.appSettings().get("WEBHOOK_SECRET")),
              Clock.systemUTC());
      int needed =
          CONCURRENCIES.stream().mapToInt(Integer::intValue).sum() + 2 * OVERLOAD_CALLBACKS;
      int applications = needed + SPARE;
      long submitting = System.nanoTime();
      submitAll(app, applications);
      List<ParkingValuer.Parked> parked =
          running(app, valuer.awaitRequests(applications, Duration.ofMinutes(10)));
      line(
          "setup: %,d of %,d applications waiting for their callback after %.1f s (any others"
              + " failed on a function's cold start)",
          parked.size(), applications, seconds(System.nanoTime() - submitting));
      assertThat(parked.size()).as("applications waiting").isGreaterThanOrEqualTo(needed);
      parked = parked.subList(0, needed);

      deployment.latency().set("*", Delay.beforeCall(Duration.ofMillis(LATENCY_MS)));
      List<Round> rounds = new ArrayList<>();
      int next = 0;
      for (int concurrency : CONCURRENCIES) {
        rounds.add(
            deliver(
                parked.subList(next, next + concurrency),
                port,
                signer,
                "%,d callbacks at once, MAX_IN_FLIGHT_REQUESTS=%d, AWS latency %d ms a call"
                    .formatted(concurrency, CALLBACKS, LATENCY_MS),
                LATENCY_MS));
        next += concurrency;
      }
      line("%s", throughputTable(rounds));
      Round busy =
          deliver(
              parked.subList(next, next + OVERLOAD_CALLBACKS),
              overloadPort,
              signer,
              "beyond capacity, machine busy: %,d callbacks at once, MAX_IN_FLIGHT_REQUESTS=%d, AWS"
                      .formatted(OVERLOAD_CALLBACKS, OVERLOAD_LIMIT)
                  + " latency %d ms a call".formatted(LATENCY_MS),
              LATENCY_MS);
      next += OVERLOAD_CALLBACKS;
      deployment.latency().set("*", Delay.beforeCall(Duration.ofMillis(OVERLOAD_LATENCY_MS)));
      Round waiting =
          deliver(
              parked.subList(next, next + OVERLOAD_CALLBACKS),
              overloadPort,
              signer,
              "beyond capacity, waiting on AWS: %,d callbacks at once, MAX_IN_FLIGHT_REQUESTS=%d,"
                      .formatted(OVERLOAD_CALLBACKS, OVERLOAD_LIMIT)
                  + " AWS latency %d ms a call".formatted(OVERLOAD_LATENCY_MS),
              OVERLOAD_LATENCY_MS);
      deployment.latency().clear();
      rounds.add(busy);
      rounds.add(waiting);

      int succeeded = countSucceeded(app, parked);
      line("applications SUCCEEDED: %,d of %,d", succeeded, parked.size());
      Files.write(Path.of("target", "capacity-report.txt"), report);
      assertThat(rounds.stream().mapToInt(Round::timeouts).sum())
          .as("callbacks timed out")
          .isZero();
      assertThat(rounds.stream().mapToInt(Round::errors).sum())
          .as("callbacks answered neither 200, 202 nor 503")
          .isZero();
      assertThat(busy.refused() + waiting.refused()).as("refused at capacity").isPositive();
      assertThat(succeeded).isEqualTo(parked.size());
    }
  }

  /** Rounds of callbacks at once against their ideal: concurrency ÷ a callback's AWS latency. */
  private static String throughputTable(List<Round> rounds) {
    StringBuilder table =
        new StringBuilder(
            "| at once | all answered | callbacks/s | ideal/s | achieved ÷ ideal | 200 p50 |"
                + " 200 p99 | 503 service-unavailable on the way |\n|---|---|---|---|---|---|---|---|\n");
    for (Round round : rounds) {
      double ideal = round.callbacks() / (CALLS_PER_CALLBACK * round.latencyMs() / 1000.0);
      table.append(
          String.format(
              Locale.ROOT,
              "| %,d | %.2f s | %,.0f | %,.0f | %.2f | %,.0f ms | %,.0f ms | %,d |%n",
              round.callbacks(),
              round.seconds(),
              round.callbacks() / round.seconds(),
              ideal,
              round.callbacks() / round.seconds() / ideal,
              round.okP50Ms(),
              round.okP99Ms(),
              round.unavailable()));
    }
    return table.toString();
  }

  /** What one round of deliveries came to. */
  private record Round(
      int callbacks,
      int latencyMs,
      double seconds,
      double okP50Ms,
      double okP99Ms,
      int unavailable,
      int refused,
      int timeouts,
      int errors) {}

  private Round deliver(
      List<ParkingValuer.Parked> parked,
      int port,
      WebhookSigner signer,
      String title,
      int latencyMs)
      throws Exception {
    ConcurrentLinkedQueue<Long> okNanos = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> refusedNanos = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> unavailableNanos = new ConcurrentLinkedQueue<>();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger timeouts = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    long started = System.nanoTime();
    List<CompletableFuture<Void>> deliveries =
        parked.stream()
            .map(
                one ->
                    deliverOne(
                        one,
                        port,
                        signer,
                        new Tally(
                            okNanos, refusedNanos, unavailableNanos, accepted, timeouts, errors),
                        1))
            .toList();
    CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    long took = System.nanoTime() - started;
    List<Long> ok = sorted(okNanos);
    List<Long> refused = sorted(refusedNanos);
    List<Long> unavailable = sorted(unavailableNanos);
    line("%s", title);
    line(
        "  all answered in %.2f s: %,.0f callbacks/s; %,d answered 200, %,d 202 (accepted, applied"
            + " by the app later); on the way %,d answers 503 at-capacity and %,d 503"
            + " service-unavailable (each retried after its Retry-After), %d timed out, %d other",
        seconds(took),
        parked.size() / seconds(took),
        ok.size(),
        accepted.get(),
        refused.size(),
        unavailable.size(),
        timeouts.get(),
        errors.get());
    if (!ok.isEmpty()) {
      double mean = ok.stream().mapToLong(Long::longValue).average().orElse(0) / 1e9;
      line(
          "  200 latency: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms; concurrency /"
              + " mean latency = %,.0f callbacks/s",
          ms(percentile(ok, 50)),
          ms(percentile(ok, 95)),
          ms(percentile(ok, 99)),
          ms(ok.get(ok.size() - 1)),
          parked.size() / mean);
    }
    if (!refused.isEmpty()) {
      line(
          "  503 at-capacity answer time: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
          ms(percentile(refused, 50)),
          ms(percentile(refused, 95)),
          ms(percentile(refused, 99)),
          ms(refused.get(refused.size() - 1)));
    }
    if (!unavailable.isEmpty()) {
      line(
          "  503 service-unavailable answer time: p50 %.0f ms, p95 %.0f ms, max %.0f ms",
          ms(percentile(unavailable, 50)),
          ms(percentile(unavailable, 95)),
          ms(unavailable.get(unavailable.size() - 1)));
    }
    return new Round(
        parked.size(),
        latencyMs,
        seconds(took),
        ok.isEmpty() ? Double.NaN : ms(percentile(ok, 50)),
        ok.isEmpty() ? Double.NaN : ms(percentile(ok, 99)),
        unavailable.size(),
        refused.size(),
        timeouts.get(),
        errors.get());
  }

  /** What the deliveries of a round got. */
  private record Tally(
      ConcurrentLinkedQueue<Long> okNanos,
      ConcurrentLinkedQueue<Long> refusedNanos,
      ConcurrentLinkedQueue<Long> unavailableNanos,
      AtomicInteger accepted,
      AtomicInteger timeouts,
      AtomicInteger errors) {}

  private CompletableFuture<Void> deliverOne(
      ParkingValuer.Parked one, int port, WebhookSigner signer, Tally tally, int attempt) {
    byte[] body =
        ("{\"valuationReference\":\"" + one.reference() + "\",\"propertyValue\":250000}")
            .getBytes(StandardCharsets.UTF_8);
    URI url =
        URI.create(
            "http://127.0.0.1:"
                + port
                + one.callbackUrl().getPath()
                + "?"
                + one.callbackUrl().getQuery());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(CLIENT_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signer.headers(WebhookSigner.newMessageId(), body).forEach(request::header);
    long sent = System.nanoTime();
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, failure) -> {
              long took = System.nanoTime() - sent;
              if (failure != null) {
                tally.timeouts().incrementAndGet();
                return CompletableFuture.<Void>completedFuture(null);
              }
              if (response.statusCode() == 200) {
                tally.okNanos().add(took);
                return CompletableFuture.<Void>completedFuture(null);
              }
              if (response.statusCode() == 202) {
                // a valuer takes it as final: the app applies it (a stranded callback) itself
                tally.accepted().incrementAndGet();
                return CompletableFuture.<Void>completedFuture(null);
              }
              if (response.statusCode() == 503) {
                (response.body().contains("/problems/at-capacity")
                        ? tally.refusedNanos()
                        : tally.unavailableNanos())
                    .add(took);
                long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
                return CompletableFuture.runAsync(
                        () -> {}, CompletableFuture.delayedExecutor(wait, TimeUnit.SECONDS))
                    .thenCompose(ignored -> deliverOne(one, port, signer, tally, attempt + 1));
              }
              tally.errors().incrementAndGet();
              line("  unexpected answer %d: %s", response.statusCode(), response.body());
              return CompletableFuture.<Void>completedFuture(null);
            })
        .thenCompose(next -> next);
  }

  /** Submits the applications, 16 at a time, each again after {@code 503} and its wait. */
  private void submitAll(AppAgainstLocalDeployment app, int applications) throws Exception {
    ExecutorService submitters = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<Void>> submitted =
          IntStream.range(0, applications)
              .mapToObj(
                  i ->
                      CompletableFuture.runAsync(
                          () -> {
                            try {
                              while (app.submit("cap-" + i, Integer.toString(i), "PO1 1CE")
                                  == 503) {
                                Thread.sleep(1000);
                              }
                            } catch (Exception e) {
                              throw new IllegalStateException(e);
                            }
                          },
                          submitters))
              .toList();
      CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new))
          .get(10, TimeUnit.MINUTES);
    } finally {
      submitters.shutdownNow();
    }
  }

  /** Those still waiting: a function that timed out on a cold start may have asked first. */
  private static List<ParkingValuer.Parked> running(
      AppAgainstLocalDeployment app, List<ParkingValuer.Parked> parked) throws Exception {
    return whose(
        parked,
        one -> app.get("/loan-applications/" + one.application()).path("status").asText(),
        "RUNNING");
  }

  private static int countSucceeded(
      AppAgainstLocalDeployment app, List<ParkingValuer.Parked> parked) throws Exception {
    return whose(
            parked,
            one -> app.awaitEnd(one.application(), Duration.ofSeconds(60)).path("status").asText(),
            "SUCCEEDED")
        .size();
  }

  /** A way to read an application's status that may fail, as a read over HTTP does. */
  private interface StatusReader {
    String status(ParkingValuer.Parked one) throws Exception;
  }

  /** The parked applications whose status, read 16 at a time, is this one (a failed read: not). */
  private static List<ParkingValuer.Parked> whose(
      List<ParkingValuer.Parked> parked, StatusReader reader, String status) throws Exception {
    ExecutorService readers = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<Boolean>> reads =
          parked.stream()
              .map(
                  one ->
                      CompletableFuture.supplyAsync(
                          () -> {
                            try {
                              return reader.status(one).equals(status);
                            } catch (Exception e) {
                              return false;
                            }
                          },
                          readers))
              .toList();
      List<ParkingValuer.Parked> matching = new ArrayList<>();
      for (int i = 0; i < parked.size(); i++) {
        if (reads.get(i).get(10, TimeUnit.MINUTES)) {
          matching.add(parked.get(i));
        }
      }
      return matching;
    } finally {
      readers.shutdownNow();
    }
  }

  private static Map<String, String> with(Map<String, String> settings, String key, int value) {
    Map<String, String> env = new HashMap<>(settings);
    env.put(key, Integer.toString(value));
    return env;
  }

  private synchronized void line(String format, Object... args) {
    String line = String.format(format, args);
    System.out.println(line);
    report.add(line);
  }

  private static List<Long> sorted(ConcurrentLinkedQueue<Long> values) {
    List<Long> list = new ArrayList<>(values);
    list.sort(null);
    return list;
  }

  private static long percentile(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /**
   * A valuer that answers every request with a new reference and never calls back by itself: the
   * benchmark delivers the callbacks, all at once.
   */
  static final class ParkingValuer implements AutoCloseable {

    /** A valuation requested: whose, under which reference, and where to call back. */
    record Parked(String application, String reference, URI callbackUrl) {}

    private final HttpServer server;
    private final AtomicInteger references = new AtomicInteger();
    private static final Duration QUIET = Duration.ofSeconds(45);

    private final Map<String, Parked> parked = new ConcurrentHashMap<>();

    ParkingValuer() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/valuations", this::handle);
      server.setExecutor(Executors.newFixedThreadPool(8));
      server.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/valuations");
    }

    /**
     * Waits until {@code count} valuations were requested, or none more came for a while (an
     * application whose function timed out on a cold start never asks), then answers them all.
     */
    List<Parked> awaitRequests(int count, Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      int seen = -1;
      long lastChange = System.nanoTime();
      while (parked.size() < count
          && System.nanoTime() < deadline
          && System.nanoTime() - lastChange < QUIET.toNanos()) {
        if (parked.size() != seen) {
          seen = parked.size();
          lastChange = System.nanoTime();
        }
        Thread.sleep(100);
      }
      return parked();
    }

    List<Parked> parked() {
      return List.copyOf(parked.values());
    }

    private void handle(HttpExchange exchange) throws IOException {
      JsonNode request = AppAgainstLocalDeployment.MAPPER.readTree(exchange.getRequestBody());
      // A valuer honouring the Idempotency-Key: a retried request gets the first reference.
      String reference =
          parked
              .computeIfAbsent(
                  String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")),
                  key ->
                      new Parked(
                          "cap-" + request.path("property").path("nameOrNumber").asText(),
                          "cap-val-" + references.incrementAndGet(),
                          URI.create(request.path("callbackUrl").asText())))
              .reference();
      byte[] body =
          ("{\"valuationReference\":\"" + reference + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(202, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
