package com.valuationflow.app.benchmark;

import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.app.webhook.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The three scenarios, over loopback HTTP against one app: its no-op ceiling ({@code GET /health}),
 * the webhook alone (signed callbacks for tasks parked beforehand) and full flows (submit, the
 * valuation request to the valuer, its signed callback, the resume). Each runs steps of rising
 * offered load until the app no longer keeps up (twice at the same rate). What differs between the
 * apps under test (an API key, how long parking takes) comes in {@link Options}.
 */
public final class Scenarios {

  public static final String CEILING = "ceiling: GET /health";
  public static final String WEBHOOK = "webhook alone";
  public static final String FLOWS = "full flows";

  /** How one scenario's load rises: from a rate, by a factor per step, until it is not kept up. */
  public record Ramp(double from, double factor, int maxSteps) {

    /**
     * The ramp the system properties give a scenario: {@code bench.<scenario>.from} (else {@code
     * defaultFrom}) per second, {@code bench.factor} (1.5) and {@code bench.maxSteps} (16).
     */
    public static Ramp fromProperties(String scenario, double defaultFrom) {
      return new Ramp(
          Double.parseDouble(
              System.getProperty("bench." + scenario + ".from", Double.toString(defaultFrom))),
          Double.parseDouble(System.getProperty("bench.factor", "1.5")),
          Integer.getInteger("bench.maxSteps", 16));
    }
  }

  /**
   * What differs between the apps under test.
   *
   * @param apiKey sent as {@code Authorization: Bearer} with each submission, if the app wants one
   * @param parkingLimit how long parking the tokens of one step of the webhook scenario may take
   * @param parkingSettle how long to wait once the valuer has seen them all before their callbacks
   *     may come: the valuer's answer is recorded after it is sent (in {@code MODE=aws} by the
   *     request-valuation function), and a callback that comes first is held ({@code 202})
   * @param beforeParking runs before parking, such as lifting latency injected into AWS calls
   * @param afterParking runs once the valuer has seen them all, before the settle time
   */
  public record Options(
      Optional<String> apiKey,
      Duration parkingLimit,
      Duration parkingSettle,
      Runnable beforeParking,
      Runnable afterParking) {

    /** No API key, parking within 120 s, nothing around it: the in-memory app. */
    public static final Options DEFAULTS =
        new Options(Optional.empty(), Duration.ofSeconds(120), Duration.ZERO, () -> {}, () -> {});

    public Options withApiKey(String key) {
      return new Options(
          Optional.of(key), parkingLimit, parkingSettle, beforeParking, afterParking);
    }

    public Options withParking(Duration limit, Duration settle) {
      return new Options(apiKey, limit, settle, beforeParking, afterParking);
    }

    public Options withParkingHooks(Runnable before, Runnable after) {
      return new Options(apiKey, parkingLimit, parkingSettle, before, after);
    }
  }

  private static final double WARM_UP_FACTOR = 2;

  static final int DEFAULT_JIT_WARM_UP_SECONDS = 20;

  static final int DEFAULT_REST_SECONDS = 10;

  /** Full flows at once in the JIT warm-up: enough to keep the app busy, never to overload it. */
  private static final int JIT_WARM_UP_FLOWS_AT_ONCE = 32;

  private final HttpClient client;
  private final OpenLoad load;
  private final BenchmarkValuer valuer;
  private final WebhookSigner signer;
  private final int appPort;
  private final Duration step;
  private final Duration warmUp;
  private final String runId;
  private final Options options;
  private final AtomicLong sequence = new AtomicLong();

  /**
   * @param valuer the app's valuer, which parks tokens for the webhook scenario and sees each full
   *     flow end
   * @param secret the webhook secret the app verifies callbacks with
   * @param runId makes this run's application references unique
   */
  public Scenarios(
      HttpClient client,
      OpenLoad load,
      BenchmarkValuer valuer,
      WebhookSecret secret,
      int appPort,
      Duration step,
      Duration warmUp,
      String runId,
      Options options) {
    this.client = client;
    this.load = load;
    this.valuer = valuer;
    this.signer = new WebhookSigner(secret, Clock.systemUTC());
    this.appPort = appPort;
    this.step = step;
    this.warmUp = warmUp;
    this.runId = runId;
    this.options = options;
  }

  /** The first step's offered rate, per second, of each scenario. */
  public record FirstRates(double ceiling, double webhook, double flows) {}

  /**
   * Runs the wanted scenarios ({@code ceiling}, {@code webhook}, {@code flows}) in that order, each
   * from its first rate unless {@code bench.<scenario>.from} says otherwise, and after each the
   * heap the app holds after a full collection. Before them, {@code bench.jitWarmUpSeconds}
   * (default {@value #DEFAULT_JIT_WARM_UP_SECONDS}) of {@linkplain #warmUpJit full flows}, then
   * {@code bench.restSeconds} (default {@value #DEFAULT_REST_SECONDS}) of the app {@linkplain
   * #cpuAtRest at rest}.
   */
  public List<BenchmarkReport.Scenario> run(List<String> wanted, FirstRates from, AppProcess app)
      throws IOException, InterruptedException {
    warmUpJit(
        Duration.ofSeconds(
            Integer.getInteger("bench.jitWarmUpSeconds", DEFAULT_JIT_WARM_UP_SECONDS)));
    double rest =
        cpuAtRest(
            app, Duration.ofSeconds(Integer.getInteger("bench.restSeconds", DEFAULT_REST_SECONDS)));
    List<BenchmarkReport.Scenario> results = new ArrayList<>();
    if (wanted.contains("ceiling")) {
      List<OpenLoad.Step> steps = ceiling(Ramp.fromProperties("ceiling", from.ceiling()));
      results.add(new BenchmarkReport.Scenario(CEILING, steps, app.heapAfterGcBytes(), rest));
    }
    if (wanted.contains("webhook")) {
      List<OpenLoad.Step> steps = webhook(Ramp.fromProperties("webhook", from.webhook()));
      results.add(new BenchmarkReport.Scenario(WEBHOOK, steps, app.heapAfterGcBytes(), rest));
    }
    if (wanted.contains("flows")) {
      List<OpenLoad.Step> steps = flows(Ramp.fromProperties("flows", from.flows()));
      results.add(new BenchmarkReport.Scenario(FLOWS, steps, app.heapAfterGcBytes(), rest));
    }
    return results;
  }

  /** {@code GET /health}: the same server doing nothing. */
  public List<OpenLoad.Step> ceiling(Ramp ramp) throws InterruptedException {
    return ramp(CEILING, ramp, index -> get("/health").map(status -> status == 200), rate -> {});
  }

  /** Signed callbacks for task tokens parked before each step, each resuming its workflow. */
  public List<OpenLoad.Step> webhook(Ramp ramp) throws InterruptedException {
    return ramp(
        WEBHOOK,
        ramp,
        index -> {
          BenchmarkValuer.Parked task = valuer.parked().poll();
          return task == null ? Future.succeededFuture(false) : callback(task);
        },
        rate ->
            park((int) Math.ceil(rate * Math.max(step.toNanos(), warmUp.toNanos()) / 1e9) + 10));
  }

  /** Submit, the valuation request, its signed callback, the resume: each ends when resumed. */
  public List<OpenLoad.Step> flows(Ramp ramp) throws InterruptedException {
    return ramp(FLOWS, ramp, index -> flow(), rate -> {});
  }

  /**
   * Full flows, {@value #JIT_WARM_UP_FLOWS_AT_ONCE} at a time, each started when one ends, for this
   * long, not reported: they take every path the scenarios take (submission, valuation request,
   * signed callback, resume), so that the app's JIT has compiled them before anything is measured.
   * Without it, an app's first minute on two cores shares them with its compiler threads, and the
   * ramp's steps near capacity met a JIT still at work in some runs and not in others.
   */
  public void warmUpJit(Duration duration) throws InterruptedException {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    long deadline = System.nanoTime() + duration.toNanos();
    CountDownLatch loops = new CountDownLatch(JIT_WARM_UP_FLOWS_AT_ONCE);
    AtomicLong ended = new AtomicLong();
    for (int i = 0; i < JIT_WARM_UP_FLOWS_AT_ONCE; i++) {
      flowsUntil(deadline, loops, ended);
    }
    if (!loops.await(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
      System.out.println("(JIT warm-up: flows still running two minutes after its end)");
    }
    System.out.printf(
        "(JIT warm-up: %d full flows in %d s, %d at a time)%n",
        ended.get(), duration.toSeconds(), JIT_WARM_UP_FLOWS_AT_ONCE);
  }

  /**
   * The app's CPU time per second while nothing is asked of it, in microseconds: its timers,
   * background searches, metrics and what is left of its JIT's work, which every operation's CPU
   * share includes and which matters the more the lower the rate. Measured after a second's pause,
   * over this long; NaN if it is zero.
   */
  public double cpuAtRest(AppProcess app, Duration duration) throws InterruptedException {
    if (duration.isZero() || duration.isNegative()) {
      return Double.NaN;
    }
    Thread.sleep(1000);
    long before = app.cpuNanos();
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    double perSecond = (app.cpuNanos() - before) / 1000.0 / ((System.nanoTime() - start) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "(app at rest: %.1f ms of CPU a second, over %d s)%n",
        perSecond / 1000,
        duration.toSeconds());
    return perSecond;
  }

  private void flowsUntil(long deadline, CountDownLatch loops, AtomicLong ended) {
    if (System.nanoTime() >= deadline) {
      loops.countDown();
      return;
    }
    flow()
        .onComplete(
            done -> {
              ended.incrementAndGet();
              flowsUntil(deadline, loops, ended);
            });
  }

  private Future<Boolean> flow() {
    String name = "flow-" + runId + "-" + sequence.incrementAndGet();
    Future<Boolean> resumed = valuer.expectFlow(name);
    return submit(name)
        .compose(
            status -> {
              if (status != 202) {
                valuer.forget(name);
              }
              return resumed;
            },
            failure -> {
              valuer.forget(name);
              return resumed;
            });
  }

  private interface BeforeStep {
    void prepare(double rate) throws InterruptedException;
  }

  private List<OpenLoad.Step> ramp(
      String scenario, Ramp ramp, OpenLoad.Operation operation, BeforeStep beforeStep)
      throws InterruptedException {
    // Warm-up (the JIT, pools, connections) at a few times the first step's rate; not reported.
    beforeStep.prepare(ramp.from() * WARM_UP_FACTOR);
    load.run(scenario, ramp.from() * WARM_UP_FACTOR, warmUp, operation);
    List<OpenLoad.Step> steps = new ArrayList<>();
    double rate = ramp.from();
    for (int i = 0; i < ramp.maxSteps(); i++) {
      valuer.parked().clear();
      beforeStep.prepare(rate);
      Thread.sleep(500);
      OpenLoad.Step result = load.run(scenario, rate, step, operation);
      System.out.println(BenchmarkReport.stepLine(result));
      if (!result.keptUp()) {
        // once more, in case a busy machine stalled this process or the app for a moment
        Thread.sleep(2000);
        valuer.parked().clear();
        beforeStep.prepare(rate);
        result = load.run(scenario, rate, step, operation);
        System.out.println(BenchmarkReport.stepLine(result) + "  (step repeated)");
      }
      steps.add(result);
      if (!result.keptUp()) {
        break;
      }
      rate *= ramp.factor();
    }
    Thread.sleep(1000);
    return steps;
  }

  /**
   * Parks this many task tokens: applications whose valuer answers but never calls back; a
   * submission the app does not accept ({@code 202}) is made again, under a new reference. Waits
   * until the valuer has seen that many more, at most {@link Options#parkingLimit()} and a third of
   * it once none more come (an application may fail before its valuation is requested), then {@link
   * Options#parkingSettle()}.
   */
  public void park(int count) throws InterruptedException {
    options.beforeParking().run();
    try {
      int target = valuer.parked().size() + count;
      int window = 128;
      Semaphore inFlight = new Semaphore(window);
      int toSubmit = count;
      for (int round = 0; round < 5 && toSubmit > 0; round++) {
        AtomicInteger refused = new AtomicInteger();
        for (int i = 0; i < toSubmit; i++) {
          inFlight.acquire();
          submit("park-" + runId + "-" + sequence.incrementAndGet())
              .onComplete(
                  done -> {
                    if (done.failed() || done.result() != 202) {
                      refused.incrementAndGet();
                    }
                    inFlight.release();
                  });
        }
        inFlight.acquire(window); // every submission answered
        inFlight.release(window);
        toSubmit = refused.get();
        if (toSubmit > 0) {
          Thread.sleep(1000);
        }
      }
      long deadline = System.nanoTime() + options.parkingLimit().toNanos();
      long quiet = options.parkingLimit().toNanos() / 3;
      int seen = -1;
      long lastArrival = System.nanoTime();
      while (valuer.parked().size() < target
          && System.nanoTime() < deadline
          && System.nanoTime() - lastArrival < quiet) {
        if (valuer.parked().size() != seen) {
          seen = valuer.parked().size();
          lastArrival = System.nanoTime();
        }
        Thread.sleep(20);
      }
    } finally {
      options.afterParking().run();
    }
    Thread.sleep(options.parkingSettle().toMillis());
  }

  private Future<Integer> submit(String name) {
    Buffer body =
        new JsonObject()
            .put("applicationReference", name)
            .put("property", new JsonObject().put("nameOrNumber", name).put("postcode", "PO1 1CE"))
            .toBuffer();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    options.apiKey().ifPresent(key -> headers.add("Authorization", "Bearer " + key));
    return post("/loan-applications", headers, body);
  }

  private Future<Boolean> callback(BenchmarkValuer.Parked task) {
    Buffer body =
        new JsonObject()
            .put("valuationReference", task.valuationReference())
            .put("propertyValue", 250000)
            .toBuffer();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    signer.headers(WebhookSigner.newMessageId(), body.getBytes()).forEach(headers::add);
    return post("/webhooks/valuations?correlationId=" + task.correlationId(), headers, body)
        .map(status -> status == 200);
  }

  private Future<Integer> get(String uri) {
    return client
        .request(HttpMethod.GET, appPort, "localhost", uri)
        .compose(request -> request.send())
        .compose(response -> response.body().map(ignored -> response.statusCode()));
  }

  private Future<Integer> post(String uri, MultiMap headers, Buffer body) {
    headers.add("Content-Type", "application/json");
    return client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("localhost")
                .setPort(appPort)
                .setURI(uri)
                .setHeaders(headers))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(ignored -> response.statusCode()));
  }
}
