package com.valuationflow.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.AppConfig;
import com.valuationflow.app.ScriptedValuer;
import com.valuationflow.app.ValuationFlowApplication;
import com.valuationflow.app.http.Json;
import com.valuationflow.app.load.LoadPlan.Application;
import com.valuationflow.app.load.LoadPlan.Delivery;
import com.valuationflow.app.load.LoadPlan.Kind;
import com.valuationflow.app.webhook.WebhookSecrets;
import com.valuationflow.app.webhook.WebhookSigner;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load test: 10,000 loan applications at once through the in-memory app over real HTTP, every
 * callback delivered three times in random order, some copies before the valuer's reply, some after
 * the valuation timeout, all validly signed. The valuer is played here, on a loopback port. Then
 * every application must have ended exactly once in the right status; the figures are printed and
 * written to {@code target/load-report.txt}.
 *
 * <p>Not part of the normal build (tag {@value #TAG}): {@code ./mvnw -pl app-vertx -am verify
 * -Pload}. Tunable with {@code -Dload.applications}, {@code -Dload.inFlight}, {@code -Dload.seed},
 * {@code -Dload.valuerMillis}, {@code -Dload.secondMillis} and {@code -Dload.timeoutSeconds}.
 */
@Tag(CallbackLoadTest.TAG)
class CallbackLoadTest {

  static final String TAG = "load";

  private static final int APPLICATIONS = Integer.getInteger("load.applications", 10_000);
  private static final int IN_FLIGHT = Integer.getInteger("load.inFlight", 64);
  private static final long SEED = Long.getLong("load.seed", 20_240_601L);

  /** How long the valuer takes to reply to a valuation request, on average. */
  private static final Duration VALUER_REPLY =
      Duration.ofMillis(Long.getLong("load.valuerMillis", 50));

  /** One second of the definition lasts this long, so that the valuation timeout is short. */
  private static final Duration SECOND = Duration.ofMillis(Long.getLong("load.secondMillis", 100));

  /** The valuation timeout in (compressed) seconds: 600, that is 60 s of real time. */
  private static final Duration VALUATION_TIMEOUT =
      Duration.ofSeconds(Long.getLong("load.timeoutSeconds", 600));

  /** The run gives up after this long; JUnit's timeout is the backstop. */
  private static final Duration HARD_CAP = Duration.ofMinutes(9);

  private static final long REQUEST_TIMEOUT_MS = 30_000;
  private static final long POLL_PAUSE_MS = 1_000;

  /** How long after its timeout an application may take to end before it counts as stuck. */
  private static final Duration END_GRACE = Duration.ofSeconds(30);

  private static final int MAX_RECORDED_PROBLEMS = 20;

  private final LoadPlan plan = LoadPlan.draw(APPLICATIONS, SEED);
  private final WebhookSigner signer = new WebhookSigner(ScriptedValuer.SECRET, Clock.systemUTC());
  private final LoadFigures.Latencies submitLatencies = new LoadFigures.Latencies(APPLICATIONS);
  private final LoadFigures.Latencies webhookLatencies =
      new LoadFigures.Latencies(APPLICATIONS * LoadPlan.COPIES);
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private final AtomicInteger problemCount = new AtomicInteger();
  private final AtomicReferenceArray<Ended> ended = new AtomicReferenceArray<>(APPLICATIONS);
  private final List<String> report = new ArrayList<>();

  private long deadlineNanos;
  private String baseUrl;
  private WebClient api;
  private WebClient callbacks;
  private LoadValuer valuer;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void tenThousandApplicationsWithTriplicateEarlyAndLateCallbacksEachEndExactlyOnce()
      throws Exception {
    deadlineNanos = System.nanoTime() + HARD_CAP.toNanos();
    Vertx appVertx = Vertx.vertx();
    Vertx driverVertx = Vertx.vertx();
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(IN_FLIGHT);
    api = WebClient.create(driverVertx, new WebClientOptions(), pool);
    callbacks = WebClient.create(driverVertx, new WebClientOptions(), pool);
    valuer =
        new LoadValuer(
            plan, VALUER_REPLY, delivery -> deliver(delivery, CallbackLoadTest::isAcknowledged));
    ValuationFlowApplication app = null;
    AppWarnings warnings = AppWarnings.capture();
    try (LoadFigures.Resources resources = new LoadFigures.Resources()) {
      await(valuer.start(driverVertx));
      app =
          await(
              ValuationFlowApplication.start(
                  appVertx,
                  AppConfig.defaults()
                      .withPort(0)
                      .withManagementPort(0)
                      .withWebhookSecrets(WebhookSecrets.of(ScriptedValuer.SECRET))
                      .withValuerUrl(valuer.url())
                      .withTimeCompressedTo(SECOND, VALUATION_TIMEOUT)));
      baseUrl = "http://localhost:" + app.port();
      run(resources, warnings);
    } finally {
      warnings.close();
      if (app != null) {
        app.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      valuer.close();
      api.close();
      callbacks.close();
      driverVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      appVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertThat(problemCount.get())
        .as("problems (the first %d): %s", MAX_RECORDED_PROBLEMS, String.join("\n", problems))
        .isZero();
  }

  private void run(LoadFigures.Resources resources, AppWarnings warnings) throws Exception {
    long timeoutNanos = SECOND.multipliedBy(VALUATION_TIMEOUT.toSeconds()).toNanos();
    line(
        "%d applications (%d on time, %d early, %d late), %d copies of each callback, %d requests"
            + " in flight, seed %d, valuer replies in %d ms on average, valuation timeout %d ms",
        APPLICATIONS,
        plan.count(Kind.ON_TIME),
        plan.count(Kind.EARLY),
        plan.count(Kind.LATE),
        LoadPlan.COPIES,
        IN_FLIGHT,
        SEED,
        VALUER_REPLY.toMillis(),
        timeoutNanos / 1_000_000);
    long start = System.nanoTime();

    // 1. Submit every application; the valuer replies to each, after its early copies if any.
    await(bounded(plan.applications(), this::submit));
    long submitted = System.nanoTime();
    try {
      valuer
          .allReplied()
          .get(
              Math.min(remainingNanos(), timeoutNanos - (System.nanoTime() - start)),
              TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      problem("the valuer was asked for only " + valuer.replied() + " valuations");
    }
    long replied = System.nanoTime();

    // 2. The remaining copies of the on-time and early callbacks, shuffled together.
    List<Delivery> onTime = plan.laterDeliveriesShuffled(kind -> kind != Kind.LATE);
    await(bounded(onTime, delivery -> deliver(delivery, CallbackLoadTest::isAcknowledged)));
    long delivered = System.nanoTime();
    if (delivered - start > timeoutNanos) {
      problem("the on-time callbacks took longer than the valuation timeout: raise it");
    }

    // 3. Once the late applications have timed out, every copy of their callbacks, shuffled.
    TimeUnit.NANOSECONDS.sleep(Math.max(0, submitted + timeoutNanos - System.nanoTime()));
    long endBy = submitted + timeoutNanos + END_GRACE.toNanos();
    awaitEnded(index -> plan.application(index).kind() == Kind.LATE, endBy);
    long timedOut = System.nanoTime();
    List<Delivery> late = plan.laterDeliveriesShuffled(kind -> kind == Kind.LATE);
    await(bounded(late, delivery -> deliver(delivery, status -> status == 410)));
    long end = System.nanoTime();

    // 4. Every application ended exactly once, in the right status.
    awaitEnded(index -> true, endBy);
    plan.applications().forEach(this::verify);
    if (valuer.refused() > 0) {
      problem(valuer.refused() + " valuation requests named no application");
    }

    int deliveries = APPLICATIONS * LoadPlan.COPIES;
    line(
        "total %.1f s; applications/s %.0f submitting, callback deliveries/s %.0f (on time)"
            + " and %.0f (late)",
        seconds(end - start),
        APPLICATIONS / seconds(submitted - start),
        onTime.size() / seconds(delivered - replied),
        late.size() / seconds(end - timedOut));
    line(
        "phases: submit %.1f s (+%.1f s until the valuer had replied to all, early copies"
            + " included); %d on-time copies %.1f s; waiting for the timeouts %.1f s; %d late"
            + " copies %.1f s; %d deliveries in all",
        seconds(submitted - start),
        seconds(replied - submitted),
        onTime.size(),
        seconds(delivered - replied),
        seconds(timedOut - delivered),
        late.size(),
        seconds(end - timedOut),
        deliveries);
    line("POST /loan-applications   %s", submitLatencies.summary());
    line("POST /webhooks/valuations %s", webhookLatencies.summary());
    line("webhook answers by kind: %s", new TreeMap<>(answers));
    line(
        "%s; heap retained after GC %d MiB",
        resources.summary(), resources.retainedHeapAfterGc() >> 20);
    line("app warnings: %s", warnings.summary());
    line("problems: %d", problemCount.get());
    Path file = Path.of("target", "load-report.txt");
    Files.createDirectories(file.getParent());
    Files.write(file, report, StandardCharsets.UTF_8);
  }

  private Future<?> submit(Application application) {
    long started = System.nanoTime();
    return api.postAbs(baseUrl + "/loan-applications")
        .timeout(REQUEST_TIMEOUT_MS)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(application.submission()))
        .onComplete(
            response -> {
              submitLatencies.record(started);
              if (response.failed() || response.result().statusCode() != 202) {
                problem(application, "submission answered " + describe(response));
              }
            });
  }

  private static boolean isAcknowledged(int status) {
    return status / 100 == 2;
  }

  /** Posts one signed copy of a callback to the callback URL the app handed the valuer. */
  private Future<?> deliver(Delivery delivery, IntPredicate expected) {
    Application application = delivery.application();
    URI callbackUrl = valuer.callbackUrl(application.index());
    if (callbackUrl == null) {
      problem(
          application,
          "the valuer was never asked, so copy " + delivery.copy() + " has nowhere to go");
      return Future.succeededFuture();
    }
    byte[] body = application.callback().getBytes(StandardCharsets.UTF_8);
    HttpRequest<Buffer> request =
        callbacks
            .postAbs(callbackUrl.toString())
            .timeout(REQUEST_TIMEOUT_MS)
            .putHeader("Content-Type", "application/json");
    signer.headers(delivery.messageId(), body).forEach(request::putHeader);
    long started = System.nanoTime();
    return request
        .sendBuffer(Buffer.buffer(body))
        .onComplete(
            response -> {
              webhookLatencies.record(started);
              answers
                  .computeIfAbsent(
                      application.kind() + " " + statusAndOutcome(response), key -> new LongAdder())
                  .increment();
              if (response.failed() || !expected.test(response.result().statusCode())) {
                problem(application, "copy " + delivery.copy() + " answered " + describe(response));
              }
            });
  }

  /**
   * Polls the applications the filter selects until each has ended, or until {@code endBy} (a
   * {@link System#nanoTime()}) or the run's deadline; keeps what each one ended as.
   */
  private void awaitEnded(IntPredicate filter, long endBy) throws Exception {
    while (true) {
      List<Integer> running =
          IntStream.range(0, APPLICATIONS)
              .filter(filter)
              .filter(index -> ended.get(index) == null)
              .boxed()
              .toList();
      if (running.isEmpty() || remainingNanos() <= 0 || System.nanoTime() - endBy > 0) {
        return;
      }
      await(bounded(running, this::fetchIfEnded));
      if (IntStream.range(0, APPLICATIONS).filter(filter).anyMatch(i -> ended.get(i) == null)) {
        TimeUnit.MILLISECONDS.sleep(POLL_PAUSE_MS);
      }
    }
  }

  private Future<?> fetchIfEnded(int index) {
    return api.getAbs(baseUrl + "/loan-applications/" + plan.application(index).reference())
        .timeout(REQUEST_TIMEOUT_MS)
        .send()
        .onSuccess(
            response -> {
              JsonNode view = json(response);
              if (response.statusCode() == 200 && !"RUNNING".equals(view.path("status").asText())) {
                ended.set(index, Ended.of(view));
              }
            });
  }

  /** What an application ended as: the parts of its view that the checks read. */
  private record Ended(
      String status,
      String error,
      BigDecimal propertyValue,
      long taskSucceeded,
      long taskTimedOut) {

    static Ended of(JsonNode view) {
      return new Ended(
          view.path("status").asText(),
          view.path("error").asText(""),
          view.at("/output/valuation/propertyValue").isNumber()
              ? view.at("/output/valuation/propertyValue").decimalValue()
              : null,
          count(view, "TaskSucceeded"),
          count(view, "TaskTimedOut"));
    }

    private static long count(JsonNode view, String eventType) {
      return StreamSupport.stream(view.path("history").spliterator(), false)
          .filter(event -> event.path("type").asText().equals(eventType))
          .count();
    }
  }

  private void verify(Application application) {
    Ended end = ended.get(application.index());
    if (end == null) {
      problem(application, "never ended");
      return;
    }
    int asked = valuer.requests(application.index());
    if (asked != 1) {
      problem(application, "the valuer was asked " + asked + " times");
    }
    boolean right =
        application.kind() == Kind.LATE
            ? end.status().equals("FAILED")
                && end.error().equals("ValuationServiceTimedOut")
                && end.taskSucceeded() == 0
                && end.taskTimedOut() == 1
            : end.status().equals("SUCCEEDED")
                && end.propertyValue() != null
                && end.propertyValue().compareTo(BigDecimal.valueOf(application.propertyValue()))
                    == 0
                && end.taskSucceeded() == 1
                && end.taskTimedOut() == 0;
    if (!right) {
      problem(application, "ended " + end);
    }
  }

  /**
   * Runs the action on every item, at most {@link #IN_FLIGHT} at a time; completes when all have.
   */
  private <T> CompletableFuture<Void> bounded(List<T> items, Function<T, Future<?>> action) {
    CompletableFuture<Void> all = new CompletableFuture<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger workers = new AtomicInteger(Math.min(IN_FLIGHT, items.size()));
    if (items.isEmpty()) {
      all.complete(null);
      return all;
    }
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          int index = next.getAndIncrement();
          if (index >= items.size() || remainingNanos() <= 0) {
            if (workers.decrementAndGet() == 0) {
              all.complete(null);
            }
            return;
          }
          Future<?> started;
          try {
            started = action.apply(items.get(index));
          } catch (RuntimeException e) {
            problem("the driver failed: " + e);
            started = Future.succeededFuture();
          }
          started.onComplete(done -> pump[0].run());
        };
    for (int worker = workers.get(); worker > 0; worker--) {
      pump[0].run();
    }
    return all;
  }

  private <T> T await(Future<T> future) throws Exception {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .get(remainingNanos(), TimeUnit.NANOSECONDS);
  }

  private <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(remainingNanos(), TimeUnit.NANOSECONDS);
  }

  private long remainingNanos() {
    return deadlineNanos - System.nanoTime();
  }

  private void problem(Application application, String what) {
    problem(application.reference() + " (" + application.kind() + "): " + what);
  }

  private void problem(String what) {
    if (problemCount.incrementAndGet() <= MAX_RECORDED_PROBLEMS) {
      problems.add(what);
    }
  }

  private static JsonNode json(HttpResponse<Buffer> response) {
    try {
      Buffer body = response.bodyAsBuffer();
      return body == null || body.length() == 0 ? Json.MAPPER.missingNode() : Json.parse(body);
    } catch (IOException e) {
      return Json.MAPPER.missingNode();
    }
  }

  private static String statusAndOutcome(AsyncResult<HttpResponse<Buffer>> response) {
    if (response.failed()) {
      return "no answer";
    }
    JsonNode json = json(response.result());
    return response.result().statusCode() + " " + json.path("outcome").asText("");
  }

  private static String describe(AsyncResult<HttpResponse<Buffer>> response) {
    return response.failed()
        ? "nothing: " + response.cause()
        : response.result().statusCode() + " " + response.result().bodyAsString();
  }

  private static double seconds(long nanos) {
    return Math.max(nanos, 1) / 1e9;
  }

  private void line(String format, Object... args) {
    String text = String.format(Locale.ROOT, format, args);
    report.add(text);
    System.out.println("[load] " + text);
  }

  /**
   * Keeps the app's own log quiet during the run (it logs every repeated callback) and counts what
   * it logs at WARNING or above.
   */
  private static final class AppWarnings extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("com.valuationflow");
    private final Level level = logger.getLevel();
    private final boolean useParentHandlers = logger.getUseParentHandlers();
    private final Map<String, LongAdder> byLogger = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> first = new ConcurrentLinkedQueue<>();

    static AppWarnings capture() {
      AppWarnings warnings = new AppWarnings();
      warnings.logger.setLevel(Level.WARNING);
      warnings.logger.setUseParentHandlers(false);
      warnings.logger.addHandler(warnings);
      return warnings;
    }

    @Override
    public void publish(LogRecord logRecord) {
      byLogger.computeIfAbsent(logRecord.getLoggerName(), key -> new LongAdder()).increment();
      if (first.size() < 3) {
        first.add(new java.util.logging.SimpleFormatter().formatMessage(logRecord));
      }
    }

    String summary() {
      return byLogger.isEmpty() ? "none" : new TreeMap<>(byLogger) + ", first: " + first;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
      logger.setUseParentHandlers(useParentHandlers);
      logger.setLevel(level);
    }
  }
}
