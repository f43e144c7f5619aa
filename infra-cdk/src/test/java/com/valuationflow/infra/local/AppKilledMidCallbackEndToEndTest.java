package com.valuationflow.infra.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.Main;
import com.valuationflow.infra.InfraApp;
import com.valuationflow.infra.local.InjectedLatency.Delay;
import com.valuationflow.infra.local.OnceCallingValuer.Delivery;
import com.valuationflow.infra.local.iam.AccessRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Exactly once, across crashes: the app runs as a process of its own against the local deployment
 * (DynamoDB Local, the local Step Functions, the RequestValuation function) and is killed with
 * SIGKILL again and again while valuers call back, then restarted on the same port. Half the kills
 * come at random moments, half just after a callback went on the wire. Sending a task's answer is
 * slowed (before the call and before its answer), so that kills land between accepting a callback
 * and resuming its task, on either side of the send. The valuer calls back once: it tries again
 * only while it gets no answer, and takes any answer, {@code 202 DUPLICATE_IN_PROGRESS} included,
 * as final. Every application must end {@code SUCCEEDED} with the value delivered, its task
 * succeeded exactly once: none lost, none resumed twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppKilledMidCallbackEndToEndTest {

  private static final int APPLICATIONS = 24;
  private static final int KILLS = 10;
  private static final Duration SUBMIT_EVERY = Duration.ofMillis(350);
  private static final Duration SEND_LATENCY = Duration.ofMillis(400);
  private static final Duration APP_START = Duration.ofSeconds(60);
  private static final Pattern RECOVERED =
      Pattern.compile(
          "Application (\\S+): the callback for valuation .* but never applied: applied now");

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private Path directory;
  private LocalDeployment deployment;
  private OnceCallingValuer valuer;
  private int port;
  private final List<Path> runLogs = new ArrayList<>();
  private Process app;
  private int kills;
  private Duration took;

  @BeforeAll
  void deployThenSubmitWhileKillingTheApp() throws Exception {
    port = AppAgainstLocalDeployment.freePort();
    directory =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "local-aws-tests")), "crash");
    valuer = new OnceCallingValuer(() -> deployment.appSettings().get("WEBHOOK_SECRET"));
    deployment =
        LocalDeployment.start(
            Map.of(
                "publicBaseUrl",
                "http://127.0.0.1:" + port,
                "valuerUrl",
                valuer.url().toString(),
                "valuerTimeoutMs",
                "10000",
                "valuationTimeoutSeconds",
                "600"),
            directory.resolve("work"));
    deployment.latency().set("states:SendTaskSuccess", new Delay(SEND_LATENCY, SEND_LATENCY));
    long started = System.nanoTime();

    app = startApp();
    CompletableFuture<Void> submitted = CompletableFuture.runAsync(this::submitAll);
    for (kills = 0; kills < KILLS; ) {
      if (kills % 2 == 0) {
        Thread.sleep(ThreadLocalRandom.current().nextLong(300, 1_500));
      } else {
        awaitCallbackOnTheWire(Duration.ofSeconds(3));
        Thread.sleep(ThreadLocalRandom.current().nextLong(200, 700));
      }
      app.destroyForcibly(); // SIGKILL
      assertThat(app.waitFor(10, TimeUnit.SECONDS)).as("killed").isTrue();
      kills++;
      app = startApp();
    }
    submitted.get(120, TimeUnit.SECONDS);
    awaitAllEnded(Duration.ofSeconds(120));
    awaitEveryCallbackAnswered(Duration.ofSeconds(30));
    took = Duration.ofNanos(System.nanoTime() - started);
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.destroy();
      app.waitFor(15, TimeUnit.SECONDS);
      app.destroyForcibly();
    }
    if (valuer != null) {
      valuer.close();
    }
    if (deployment != null) {
      deployment.close();
    }
  }

  @Test
  void everyApplicationSucceededOnceWithTheValueDeliveredNoneLostNoneResumedTwice()
      throws Exception {
    Map<String, Integer> taskSucceeded = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    for (int i = 1; i <= APPLICATIONS; i++) {
      JsonNode execution = describe(reference(i));
      long succeeded = historyTypes(reference(i)).stream().filter("TaskSucceeded"::equals).count();
      taskSucceeded.put(reference(i), (int) succeeded);
      JsonNode output = readJson(execution.path("output").asText("{}"));
      if (!execution.path("status").asText().equals("SUCCEEDED")
          || output.at("/valuation/propertyValue").asLong() != OnceCallingValuer.valueOf(i)
          || succeeded != 1) {
        wrong.add(reference(i) + " " + execution.path("status").asText() + " " + output);
      }
    }
    Map<String, Long> outcomes = deliveryOutcomes();
    List<String> recovered = recoveredApplications();
    String figures =
        String.format(
            "%d applications, %d kills (SIGKILL), %d runs of the app, %.1f s;"
                + " first answers to the valuer's callbacks: %s;"
                + " applications resumed by the search for stranded callbacks: %d %s;"
                + " kills after which the next run resumed a stranded callback: %d",
            APPLICATIONS,
            kills,
            runLogs.size(),
            took.toMillis() / 1000.0,
            outcomes,
            recovered.size(),
            recovered,
            killsFollowedByRecovery());
    System.out.println("Crash test: " + figures);

    assertThat(wrong).as(figures).isEmpty();
    assertThat(taskSucceeded.values()).as("TaskSucceeded per application").containsOnly(1);
    assertThat(valuer.deliveries()).as("every callback got an answer").hasSize(APPLICATIONS);
    assertThat(outcomes.keySet())
        .as("the valuer was answered, never refused: " + figures)
        .allMatch(
            outcome ->
                outcome.equals("200 RESUMED")
                    // applied, but the kill cut the answer off; the next attempt learns it
                    || outcome.equals("200 DUPLICATE")
                    || outcome.equals("202 DUPLICATE_IN_PROGRESS")
                    || outcome.equals("202 HELD_UNTIL_REPLY"));
    assertThat(recovered)
        .as("some kills landed between accepting a callback and resuming its task: " + figures)
        .isNotEmpty();
  }

  @Test
  void theAppsGrantsCoverTheSearchForStrandedCallbacks() throws Exception {
    assertThat(deployment.iam().records())
        .as(deployment.iam().report())
        .allMatch(AccessRecord::allowed)
        .anyMatch(
            r ->
                r.action().equals("dynamodb:Query")
                    && r.resource().endsWith("/index/pendingCallbacks"));
  }

  /** Each application once, retried while the app is down; the submitted references. */
  private void submitAll() {
    try {
      for (int i = 1; i <= APPLICATIONS; i++) {
        String body =
            AppAgainstLocalDeployment.MAPPER
                .createObjectNode()
                .put("applicationReference", reference(i))
                .set(
                    "property",
                    AppAgainstLocalDeployment.MAPPER
                        .createObjectNode()
                        .put("nameOrNumber", Integer.toString(i))
                        .put("postcode", "SW1A 1AA"))
                .toString();
        Instant deadline = Instant.now().plus(APP_START.multipliedBy(2));
        List<String> answers = new ArrayList<>();
        while (true) {
          HttpResponse<Void> response = send(post("/loan-applications", body));
          if (response != null && response.statusCode() == 202) {
            break;
          }
          answers.add(
              Instant.now() + " " + (response == null ? "no answer" : response.statusCode()));
          if (Instant.now().isAfter(deadline)) {
            throw new AssertionError(
                "could not submit " + reference(i) + "; the answers:\n" + summary(answers));
          }
          Thread.sleep(100);
        }
        Thread.sleep(SUBMIT_EVERY.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The answers in order, a run of the same answer as its first and last time and a count. */
  private static String summary(List<String> answers) {
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < answers.size()) {
      String answer = answers.get(i).substring(answers.get(i).indexOf(' ') + 1);
      int j = i;
      while (j + 1 < answers.size() && answers.get(j + 1).endsWith(" " + answer)) {
        j++;
      }
      text.append(answers.get(i))
          .append(j > i ? " ... " + answers.get(j) + " (" + (j - i + 1) + " times)" : "")
          .append('\n');
      i = j + 1;
    }
    return text.toString();
  }

  private Process startApp() throws IOException, InterruptedException {
    Path log = directory.resolve("app-run-" + (runLogs.size() + 1) + ".log");
    runLogs.add(log);
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", ""));
    builder.environment().putAll(deployment.appSettings());
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("MANAGEMENT_PORT", "0");
    builder.environment().put("STRANDED_CALLBACK_SWEEP_SECONDS", "1");
    builder.environment().put("STRANDED_CALLBACK_AGE_SECONDS", "2");
    builder.environment().put("SHUTDOWN_GRACE_SECONDS", "1");
    Process process = builder.start();
    Instant deadline = Instant.now().plus(APP_START);
    while (true) {
      HttpResponse<Void> health =
          send(HttpRequest.newBuilder(url("/health")).timeout(Duration.ofSeconds(2)).build());
      if (health != null && health.statusCode() == 200) {
        return process;
      }
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new AssertionError("The app did not start:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
  }

  private void awaitCallbackOnTheWire(Duration within) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (valuer.inFlight() == 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(5);
    }
  }

  private void awaitAllEnded(Duration within) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    for (int i = 1; i <= APPLICATIONS; i++) {
      while (describe(reference(i)).path("status").asText().equals("RUNNING")
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
      }
    }
  }

  /** A callback whose answer a kill cut off is still being tried again. */
  private void awaitEveryCallbackAnswered(Duration within) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (valuer.deliveries().size() < APPLICATIONS && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
  }

  private JsonNode describe(String reference) {
    return deployment
        .services()
        .stepFunctions()
        .call(
            "DescribeExecution",
            AppAgainstLocalDeployment.MAPPER
                .createObjectNode()
                .put("executionArn", executionArn(reference)));
  }

  private List<String> historyTypes(String reference) {
    JsonNode history =
        deployment
            .services()
            .stepFunctions()
            .call(
                "GetExecutionHistory",
                AppAgainstLocalDeployment.MAPPER
                    .createObjectNode()
                    .put("executionArn", executionArn(reference))
                    .put("maxResults", 1000));
    return StreamSupport.stream(history.path("events").spliterator(), false)
        .map(event -> event.path("type").asText())
        .toList();
  }

  private String executionArn(String reference) {
    return deployment
            .outputs()
            .get(InfraApp.LOAN_PROCESSOR_STACK)
            .get("StateMachineArn")
            .replace(":stateMachine:", ":execution:")
        + ":"
        + reference;
  }

  /** How many callbacks got each first answer, such as {@code "200 RESUMED" -> 25}. */
  private Map<String, Long> deliveryOutcomes() {
    Map<String, Long> outcomes = new TreeMap<>();
    for (Delivery delivery : valuer.deliveries().values()) {
      outcomes.merge(delivery.status() + " " + delivery.outcome(), 1L, Long::sum);
    }
    return outcomes;
  }

  /** The applications the search for stranded callbacks resumed, by run of the app. */
  private List<String> recoveredApplications() throws IOException {
    List<String> recovered = new ArrayList<>();
    for (Path log : runLogs) {
      recovered.addAll(recoveredIn(log));
    }
    return recovered;
  }

  private long killsFollowedByRecovery() throws IOException {
    long count = 0;
    for (int run = 1; run < runLogs.size(); run++) {
      if (!recoveredIn(runLogs.get(run)).isEmpty()) {
        count++;
      }
    }
    return count;
  }

  private static List<String> recoveredIn(Path log) throws IOException {
    List<String> recovered = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher matcher = RECOVERED.matcher(line);
      if (matcher.find()) {
        recovered.add(matcher.group(1));
      }
    }
    return recovered;
  }

  private HttpRequest post(String path, String body) {
    return HttpRequest.newBuilder(url(path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + deployment.appApiKey())
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** The answer, or null if there was none (the app down or killed). */
  private HttpResponse<Void> send(HttpRequest request) throws InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException noAnswer) {
      return null;
    }
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static JsonNode readJson(String text) {
    try {
      return AppAgainstLocalDeployment.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String reference(int i) {
    return "crash-" + i;
  }
}
