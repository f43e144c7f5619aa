package com.valuationflow.app.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.app.AppConfig;
import com.valuationflow.app.JsonLogCapture;
import com.valuationflow.app.RunningApp;
import com.valuationflow.app.ScriptedValuer;
import com.valuationflow.app.fuzz.HostileRequests.Waiting;
import com.valuationflow.app.http.Problem;
import com.valuationflow.app.webhook.WebhookSecrets;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded generative fuzzing of the webhook and the loan API over real HTTP, against one running
 * in-memory app with applications waiting on a scripted valuer. Every answer must be a {@code 2xx}
 * or a {@code 4xx} problem (and what the request's kind allows), no waiting application may be
 * resumed, and afterwards the app is healthy and a legitimate callback still resumes one.
 *
 * <p>{@code -Dfuzz.requests} (default {@value #DEFAULT_REQUESTS}) are spread over the seeds, {@code
 * -Dfuzz.seeds} (comma-separated; default 1 to 10), with at most {@code -Dfuzz.inFlight} (default
 * 64) in flight on as many keep-alive connections. Each request depends on its seed and index only,
 * so {@code -Dfuzz.seeds=<seed> -Dfuzz.requests=<index + 1>} replays a failure; {@code
 * -Dfuzz.shown} sets how many failures a seed reports (default 5).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputFuzzTest {

  static final int DEFAULT_REQUESTS = 60_000;

  private static final int REQUESTS = Integer.getInteger("fuzz.requests", DEFAULT_REQUESTS);
  private static final List<Long> SEEDS =
      Arrays.stream(System.getProperty("fuzz.seeds", "1,2,3,4,5,6,7,8,9,10").split(","))
          .map(String::strip)
          .map(Long::valueOf)
          .toList();
  private static final int IN_FLIGHT = Integer.getInteger("fuzz.inFlight", 64);
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
  private static final int WAITING_APPLICATIONS = 3;
  private static final int SHOWN_FAILURES = Integer.getInteger("fuzz.shown", 5);
  private static final int ENOUGH_FAILURES = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Vertx vertx;
  private ScriptedValuer valuer;
  private RunningApp app;
  private WebClient client;
  private List<Waiting> waiting;
  private HostileRequests requests;
  private JsonLogCapture logs;
  private final AtomicLong totalRequests = new AtomicLong();
  private final AtomicLong totalNanos = new AtomicLong();

  @BeforeAll
  void start() {
    logs = JsonLogCapture.begin();
    logs.secret(ScriptedValuer.SECRET_TEXT);
    logs.secret(ScriptedValuer.SECRET_TEXT.substring("whsec_".length()));
    vertx = Vertx.vertx();
    valuer = ScriptedValuer.start(vertx);
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withWebhookSecrets(WebhookSecrets.of(ScriptedValuer.SECRET))
                .withValuerUrl(valuer.url()));
    List<Waiting> submitted = new ArrayList<>();
    for (int i = 1; i <= WAITING_APPLICATIONS; i++) {
      submitted.add(waitingApplication("fuzz-waiting-" + i));
    }
    waiting = List.copyOf(submitted);
    requests = new HostileRequests(waiting);
    client =
        WebClient.create(
            vertx,
            new WebClientOptions().setKeepAlive(true).setFollowRedirects(false),
            new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
  }

  @AfterAll
  void stop() {
    if (totalRequests.get() > 0) {
      System.out.printf(
          "Fuzzing: %,d requests in %.1f s, %,.0f requests/s%n",
          totalRequests.get(),
          totalNanos.get() / 1e9,
          totalRequests.get() / (totalNanos.get() / 1e9));
    }
    client.close();
    app.close();
    valuer.close();
    RunningApp.await(vertx.close());
    logs.close();
  }

  /** Submits an application and waits until the valuer's reference is recorded. */
  private Waiting waitingApplication(String reference) {
    assertThat(
            app.post(
                    "/loan-applications",
                    "{\"applicationReference\":\""
                        + reference
                        + "\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}")
                .status())
        .isEqualTo(202);
    ScriptedValuer.Received request = valuer.nextRequest();
    app.awaitApplication(
        reference, "RUNNING"::equals, execution -> count(execution, "TaskSubmitted") == 1);
    String correlationId = request.callbackUrl().getQuery().replace("correlationId=", "");
    logs.secret(correlationId);
    return new Waiting(reference, correlationId, request.valuationReference());
  }

  static Stream<Long> seeds() {
    return SEEDS.stream();
  }

  @Order(1)
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyHostileRequestGetsA2xxOrA4xxProblemAndResumesNothing(long seed) {
    int count = REQUESTS / SEEDS.size() + (seed == SEEDS.get(0) ? REQUESTS % SEEDS.size() : 0);
    Run run = new Run();
    long started = System.nanoTime();
    for (int index = 0; index < count && run.failures.size() < ENOUGH_FAILURES; index++) {
      run.slots.acquireUninterruptibly();
      HostileRequest request = requests.generate(seed, index);
      send(request)
          .onComplete(
              answer -> {
                run.check(request, answer);
                run.slots.release();
              });
      run.sent.incrementAndGet();
    }
    run.slots.acquireUninterruptibly(IN_FLIGHT);
    long nanos = System.nanoTime() - started;
    totalRequests.addAndGet(run.sent.get());
    totalNanos.addAndGet(nanos);
    System.out.printf(
        "Fuzzing seed %d: %,d requests in %.1f s (%,.0f/s), statuses %s%n",
        seed, run.sent.get(), nanos / 1e9, run.sent.get() / (nanos / 1e9), run.statuses());

    if (!run.failures.isEmpty()) {
      fail(
          "seed %d: %d of %d requests were answered wrongly (replay one with -Dfuzz.seeds=%d"
              + " -Dfuzz.requests=<its index + 1>); the first:%n%s",
          seed,
          run.failures.size(),
          run.sent.get(),
          seed,
          run.failures.stream().limit(SHOWN_FAILURES).collect(Collectors.joining("\n\n")));
    }
    assertThat(logs.takeErrors()).as("errors logged while fuzzing with seed %d", seed).isEmpty();
    assertWaitingApplicationsUntouched("after seed " + seed);
  }

  @Order(2)
  @Test
  void afterwardsTheAppIsHealthyAndALegitimateCallbackStillResumesAWaitingApplication() {
    assertThat(app.get("/health").status()).isEqualTo(200);
    assertWaitingApplicationsUntouched("after fuzzing");
    Waiting first = waiting.get(0);

    String body =
        "{\"valuationReference\":\"" + first.valuationReference() + "\",\"propertyValue\":250000}";
    Map<String, String> headers =
        ScriptedValuer.signed(ScriptedValuer.SECRET, "msg_fuzz_legitimate", body);
    logs.signatures(headers.get("webhook-signature"));
    RunningApp.Response answer =
        app.postAbs(
            URI.create(app.url("/webhooks/valuations?correlationId=" + first.correlationId())),
            body,
            headers);

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.json().path("outcome").asText()).isEqualTo("RESUMED");
    JsonNode execution =
        app.awaitApplication(first.applicationReference(), "SUCCEEDED"::equals).json();
    assertThat(execution.at("/output/valuation/propertyValue").asLong()).isEqualTo(250_000);
    assertThat(count(execution, "TaskSucceeded")).isEqualTo(1);
  }

  /** The whole run's log, written as {@code LOG_FORMAT=json} writes it. */
  @Order(3)
  @Test
  void everyLineLoggedIsJsonAndCarriesNoSecretCorrelationKeyTaskTokenOrSignature() {
    System.out.printf(
        "Fuzzing logged %,d lines; checked against %d secrets and %,d signatures%n",
        logs.lines().size(), logs.secretCount(), logs.signatureCount());
    logs.assertCleanJsonLines();
  }

  private void assertWaitingApplicationsUntouched(String when) {
    for (Waiting application : waiting) {
      RunningApp.Response view =
          app.get("/loan-applications/" + application.applicationReference());
      assertThat(view.json().path("status").asText())
          .as("%s: status of %s", when, application.applicationReference())
          .isEqualTo("RUNNING");
      assertThat(count(view.json(), "TaskSucceeded") + count(view.json(), "TaskFailed"))
          .as("%s: TaskSucceeded or TaskFailed in %s", when, view.text())
          .isZero();
    }
  }

  private Future<HttpResponse<Buffer>> send(HostileRequest request) {
    try {
      HttpRequest<Buffer> http =
          client
              .request(request.method(), app.port(), "localhost", request.uri())
              .timeout(ANSWER_WITHIN.toMillis());
      request
          .headers()
          .forEach(
              header -> {
                http.headers().add(header.name(), header.value());
                if (header.name().equalsIgnoreCase("webhook-signature")) {
                  logs.signatures(header.value());
                }
              });
      return request.body() == null ? http.send() : http.sendBuffer(Buffer.buffer(request.body()));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static long count(JsonNode execution, String eventType) {
    return StreamSupport.stream(execution.path("history").spliterator(), false)
        .filter(event -> event.path("type").asText().equals(eventType))
        .count();
  }

  /** One seed's requests: the in-flight limit, the statuses seen and what went wrong. */
  private static final class Run {

    final Semaphore slots = new Semaphore(IN_FLIGHT);
    final AtomicInteger sent = new AtomicInteger();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

    Map<Integer, Integer> statuses() {
      Map<Integer, Integer> counts = new TreeMap<>();
      statuses.forEach((status, n) -> counts.put(status, n.get()));
      return counts;
    }

    void check(HostileRequest request, AsyncResult<HttpResponse<Buffer>> answer) {
      if (answer.failed()) {
        failures.add("no answer (" + answer.cause() + ") to " + request.describe());
        return;
      }
      HttpResponse<Buffer> response = answer.result();
      int status = response.statusCode();
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      String wrong = wrongWith(request, response);
      if (wrong != null) {
        String body = response.bodyAsString();
        failures.add(
            wrong
                + "; Content-Type "
                + response.getHeader("Content-Type")
                + ", body "
                + (body == null ? "none" : body.substring(0, Math.min(body.length(), 300)))
                + "\nto "
                + request.describe());
      }
    }

    /** {@code GET /} serves the execution view, an HTML page; everything else answers JSON. */
    private static boolean isTheViewsStartPage(HostileRequest request) {
      return request.method() == HttpMethod.GET
          && (request.uri().equals("/") || request.uri().startsWith("/?"));
    }

    private static String wrongWith(HostileRequest request, HttpResponse<Buffer> response) {
      int status = response.statusCode();
      if (!request.expected().allows().test(status)) {
        return "answered " + status + ", expected " + request.expected().description();
      }
      String contentType = response.getHeader("Content-Type");
      boolean problem = status / 100 == 4;
      if (problem && !Problem.CONTENT_TYPE.equals(contentType)) {
        return "a " + status + " that is not " + Problem.CONTENT_TYPE;
      }
      if (!problem && isTheViewsStartPage(request)) {
        return contentType != null && contentType.startsWith("text/html")
            ? null
            : "a " + status + " of the view's start page that is not text/html";
      }
      if (!problem && (contentType == null || !contentType.startsWith("application/json"))) {
        return "a " + status + " that is not application/json";
      }
      if (request.method() == HttpMethod.HEAD) {
        return null;
      }
      JsonNode body;
      try {
        body = JSON.readTree(response.bodyAsString() == null ? "" : response.bodyAsString());
      } catch (IOException e) {
        return "a " + status + " whose body is not JSON";
      }
      if (body == null || !body.isObject()) {
        return "a " + status + " whose body is not a JSON object";
      }
      if (problem && (body.path("status").asInt() != status || !body.path("type").isTextual())) {
        return "a " + status + " whose problem has no type or another status";
      }
      return null;
    }
  }
}
