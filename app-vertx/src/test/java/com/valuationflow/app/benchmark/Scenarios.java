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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The three scenarios, over loopback HTTP against one app: its no-op ceiling ({@code GET /health}),
 * the webhook alone (signed callbacks for tasks parked beforehand) and full flows (submit, the
 * valuation request to the app's mock valuer, its signed callback, the resume). Each runs steps of
 * rising offered load until the app no longer keeps up (twice at the same rate).
 */
final class Scenarios {

  static final String CEILING = "ceiling: GET /health";
  static final String WEBHOOK = "webhook alone";
  static final String FLOWS = "full flows";

  /** How one scenario's load rises: from a rate, by a factor per step, until it is not kept up. */
  record Ramp(double from, double factor, int maxSteps) {}

  private static final double WARM_UP_FACTOR = 2;

  private final HttpClient client;
  private final OpenLoad load;
  private final BenchmarkValuer valuer;
  private final WebhookSigner signer;
  private final int appPort;
  private final Duration step;
  private final Duration warmUp;
  private final String runId;
  private final AtomicLong sequence = new AtomicLong();

  Scenarios(
      HttpClient client,
      OpenLoad load,
      BenchmarkValuer valuer,
      WebhookSecret secret,
      int appPort,
      Duration step,
      Duration warmUp,
      String runId) {
    this.client = client;
    this.load = load;
    this.valuer = valuer;
    this.signer = new WebhookSigner(secret, Clock.systemUTC());
    this.appPort = appPort;
    this.step = step;
    this.warmUp = warmUp;
    this.runId = runId;
  }

  List<OpenLoad.Step> ceiling(Ramp ramp) throws InterruptedException {
    return ramp(CEILING, ramp, index -> get("/health").map(status -> status == 200), rate -> {});
  }

  List<OpenLoad.Step> webhook(Ramp ramp) throws InterruptedException {
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

  List<OpenLoad.Step> flows(Ramp ramp) throws InterruptedException {
    return ramp(
        FLOWS,
        ramp,
        index -> {
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
        },
        rate -> {});
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

  /** Parks this many task tokens: applications whose valuer never calls back. */
  private void park(int count) throws InterruptedException {
    Semaphore window = new Semaphore(128);
    for (int i = 0; i < count; i++) {
      window.acquire();
      submit("park-" + runId + "-" + sequence.incrementAndGet())
          .onComplete(done -> window.release());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (valuer.parked().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private Future<Integer> submit(String name) {
    Buffer body =
        new JsonObject()
            .put("applicationReference", name)
            .put("property", new JsonObject().put("nameOrNumber", name).put("postcode", "PO1 1CE"))
            .toBuffer();
    return post("/loan-applications", MultiMap.caseInsensitiveMultiMap(), body);
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
