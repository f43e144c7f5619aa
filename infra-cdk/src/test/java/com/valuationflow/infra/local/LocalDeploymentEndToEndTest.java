package com.valuationflow.infra.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.infra.InfraApp;
import com.valuationflow.infra.local.iam.AccessRecord;
import com.valuationflow.infra.local.iam.LocalIam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The AWS path as a whole, from the synthesized templates: the app in {@code MODE=aws} starts the
 * loan processor on the local Step Functions; its RequestValuation function (the real jar, under
 * Amazon's Java runtime interface client) parks the token in DynamoDB Local and asks the deployed
 * mock valuer through its function URL; the mock valuer's state machine waits and its callback
 * function posts a signed callback to the app, which resumes the execution. Every trigger of the
 * mock valuer runs at once, each ending as the README says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalDeploymentEndToEndTest {

  private static final int DELAY_SECONDS = 1;
  private static final int VALUATION_TIMEOUT_SECONDS = 30;
  private static final List<String> TRIGGERS =
      List.of(
          "999",
          "Early callback",
          "Duplicate response",
          "No callback",
          "Late callback",
          "Unknown reference",
          "Failed response",
          "Unavailable");

  private Path workDirectory;

  private LocalDeployment deployment;
  private AppAgainstLocalDeployment app;
  private final List<String> submitted = new ArrayList<>();
  private Instant submittedAt;
  private boolean viewed;

  @BeforeAll
  void deployAndSubmitEveryTrigger() throws Exception {
    int port = AppAgainstLocalDeployment.freePort();
    workDirectory =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "local-aws-tests")), "run");
    deployment =
        LocalDeployment.start(
            Map.of(
                "publicBaseUrl", "http://127.0.0.1:" + port,
                "mockValuerDelaySeconds", Integer.toString(DELAY_SECONDS),
                "valuationTimeoutSeconds", Integer.toString(VALUATION_TIMEOUT_SECONDS)),
            workDirectory);
    app = AppAgainstLocalDeployment.start(deployment.appSettings(), deployment.appApiKey(), port);
    submittedAt = Instant.now();
    for (String trigger : TRIGGERS) {
      assertThat(app.submit(reference(trigger), trigger, "PO1 1CE")).isEqualTo(202);
      submitted.add(reference(trigger));
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (deployment != null) {
      deployment.close();
    }
  }

  @Test
  void theSeedExampleSucceedsWithTheValuationAfterWaitingForTheCallback() throws Exception {
    JsonNode view = app.awaitEnd(reference("999"), Duration.ofSeconds(60));

    assertThat(view.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(view.at("/output/valuation/propertyValue").asLong()).isEqualTo(1_658_000);
    assertThat(app.submit(reference("999"), "999", "PO1 1CE"))
        .as("the same application again, after its workflow ended: a repeat")
        .isEqualTo(202);
    assertThat(app.submit(reference("999"), "998", "PO1 1CE"))
        .as("another application under its reference")
        .isEqualTo(409);
    List<String> types = types(view);
    assertThat(types)
        .containsSubsequence(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
    JsonNode wait =
        mockValuerHistory(view.at("/output/valuation/valuationReference").asText()).stream()
            .filter(event -> event.path("type").asText().startsWith("WaitState"))
            .map(event -> event.path("timestamp"))
            .collect(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance::arrayNode,
                com.fasterxml.jackson.databind.node.ArrayNode::add,
                com.fasterxml.jackson.databind.node.ArrayNode::addAll);
    assertThat(wait).as("the mock valuer's Wait state entered and exited").hasSize(2);
    assertThat(wait.get(1).asDouble() - wait.get(0).asDouble())
        .as("the mock valuer's state machine waits mockValuerDelaySeconds")
        .isGreaterThanOrEqualTo(DELAY_SECONDS);
    assertThat(timestamp(view, "TaskSucceeded"))
        .as("the task succeeded after the wait")
        .isAfterOrEqualTo(Instant.ofEpochMilli((long) (wait.get(1).asDouble() * 1000)));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "Early callback,     SUCCEEDED, ''",
    "Duplicate response, SUCCEEDED, ''",
    "No callback,        FAILED,    ValuationServiceTimedOut",
    "Late callback,      FAILED,    ValuationServiceTimedOut",
    "Unknown reference,  FAILED,    ValuationServiceTimedOut",
    "Failed response,    FAILED,    ValuationFailed",
    "Unavailable,        FAILED,    ValuerUnavailable"
  })
  void everyTriggerOfTheDeployedMockValuerEndsAsDocumented(
      String trigger, String status, String error) throws Exception {
    JsonNode view = app.awaitEnd(reference(trigger), Duration.ofSeconds(90));

    assertThat(view.path("status").asText())
        .as("%s: %s", view.path("error").asText(), view.path("cause").asText())
        .isEqualTo(status);
    assertThat(view.path("error").asText()).isEqualTo(error);
    assertThat(types(view).stream().filter("TaskSucceeded"::equals))
        .hasSize(status.equals("SUCCEEDED") ? 1 : 0);
  }

  @Test
  void theWebhookAnsweredEachCallbackOfTheMockValuerAsTheTriggerExpects() throws Exception {
    for (String reference : submitted) {
      app.awaitEnd(reference, Duration.ofSeconds(90));
    }
    // the late callback comes a delay after the timeout
    List<String> answers = awaitMockValuerAnswers(answer -> answer.startsWith("410"));

    assertThat(answers)
        .as("Duplicate response: one message delivered three times, applied once, answered alike")
        .contains("200 RESUMED, 200 RESUMED, 200 RESUMED")
        .as("Late callback: gone")
        .contains("410 /problems/valuation-no-longer-awaited")
        .as("Unknown reference: not found")
        .contains("404 /problems/unknown-valuation-reference")
        .as("Failed response and the normal ones: resumed")
        .contains("200 RESUMED");
    assertThat(deployment.iam().records())
        .as("Early callback: held by the webhook, applied by the function once the valuer replied")
        .anyMatch(
            r ->
                r.principal().contains("RequestValuationFunctionRole")
                    && r.action().equals("states:SendTaskSuccess"));
  }

  /**
   * The deployed mock valuer replies only after the function stopped waiting for it (the default 10
   * s), and calls back after 1 s: the function takes the callback that came meanwhile for the lost
   * reply. The property is valued once and its one callback resumes the application. (The retry
   * that asks again with the same key, when no callback came yet, is shown in memory.)
   */
  @Test
  void aSlowValuerValuesOnceAndItsCallbackResumesTheApplication() throws Exception {
    // Once the first applications warmed the functions up: a cold start here takes seconds.
    app.awaitEnd(reference("999"), Duration.ofSeconds(90));
    assertThat(app.submit(reference("Slow reply"), "Slow reply", "PO1 1CE")).isEqualTo(202);
    JsonNode view = app.awaitEnd(reference("Slow reply"), Duration.ofSeconds(90));

    assertThat(view.path("status").asText()).as(view.toString()).isEqualTo("SUCCEEDED");
    long value = view.at("/output/valuation/propertyValue").asLong();
    assertThat(mockValuerInputs())
        .filteredOn(input -> input.at("/callback/propertyValue").asLong() == value)
        .as("one valuation of the property")
        .singleElement()
        .satisfies(
            input ->
                assertThat(input.at("/callback/valuationReference").asText())
                    .isEqualTo(view.at("/output/valuation/valuationReference").asText()));
    assertThat(types(view).stream().filter("TaskSucceeded"::equals)).hasSize(1);
  }

  @Test
  void theExecutionViewShowsTheSeedExampleFromStepFunctions() throws Exception {
    viewTheSeedExample();
  }

  /**
   * The execution view of the finished seed example, read from {@code ListExecutions}, {@code
   * DescribeStateMachine}, {@code DescribeExecution} and {@code GetExecutionHistory}; once.
   */
  private synchronized void viewTheSeedExample() throws Exception {
    if (viewed) {
      return;
    }
    String reference = reference("999");
    JsonNode execution = app.awaitEnd(reference, Duration.ofSeconds(60));
    String status = execution.path("status").asText();
    int events = execution.path("history").size();

    java.net.http.HttpResponse<String> list = app.page("/?status=" + status);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("data-reference=\"" + reference + "\"");
    java.net.http.HttpResponse<String> page = app.page("/applications/" + reference);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("data-status=\"" + status + "\"")
        .contains("data-state=\"ValuationFailed\" data-status=\"not reached\"");
    if (status.equals("SUCCEEDED")) {
      assertThat(page.body())
          .contains("data-state=\"RequestValuation\" data-status=\"succeeded\"")
          .contains("data-state=\"Valued\" data-status=\"succeeded\"");
    }
    java.net.http.HttpResponse<String> stream =
        app.page("/applications/" + reference + "/events?lastEventId=0");
    assertThat(stream.body().lines().filter(line -> line.startsWith("id: ")))
        .hasSize(events)
        .last()
        .isEqualTo("id: " + events);
    assertThat(stream.body()).contains("event: end\ndata: {\"status\":\"" + status + "\"}");
    viewed = true;
  }

  @Test
  void everyPrincipalDidOnlyWhatItsGrantsAllowAndUsesAllButAFewOfThem() throws Exception {
    for (String reference : submitted) {
      app.awaitEnd(reference, Duration.ofSeconds(90));
    }
    viewTheSeedExample(); // the app's view reads executions too
    LocalIam iam = deployment.iam();
    assertThat(iam.records()).as(iam.report()).allMatch(AccessRecord::allowed);
    String table = deployment.outputs().get(InfraApp.LOAN_PROCESSOR_STACK).get("TaskTokenTable");
    assertThat(iam.records())
        .as("the function parks the token in the table")
        .anyMatch(
            r ->
                r.principal().contains("RequestValuationFunctionRole")
                    && r.action().equals("dynamodb:PutItem")
                    && r.resource().endsWith(":table/" + table));

    List<String> unused = new ArrayList<>();
    iam.unusedGrants()
        .forEach(
            (principal, grants) ->
                grants.forEach(
                    grant ->
                        unused.add(
                            principal.replaceAll(".*[/:](ValuationFlow-[A-Za-z]+-)?", "")
                                + " "
                                + grant.substring(0, grant.indexOf(' ')))));
    assertThat(unused)
        .as(iam.report())
        .contains(
            // CDK's LambdaInvoke of a function also grants invoking its versions and aliases
            // (the loan processor invokes an alias, and is granted that alone)
            "MockValuerRoleF1C3DB8A lambda:InvokeFunction")
        .isSubsetOf(
            "MockValuerRoleF1C3DB8A lambda:InvokeFunction",
            // the function reports a failure itself only when the callback came before the
            // valuer's reply, which a cold start may or may not cause
            "RequestValuationFunctionRole7D39A197 states:SendTaskFailure",
            // it reads the history only after TaskTimedOut on a send of its own
            "RequestValuationFunctionRole7D39A197 states:GetExecutionHistory",
            // the app reads an item only when its search finds a stranded callback
            "valuationflow-app dynamodb:GetItem",
            // and deletes a submission's record only when the submission's start failed
            "valuationflow-app dynamodb:DeleteItem");
  }

  /**
   * A store blip inside the function: DynamoDB throttles the function's role for a few seconds,
   * longer than the AWS SDK's own retries last, so the function fails its task with {@code
   * ValuationServiceUnavailable} and the definition's {@code Retry} carries the application
   * through. Run once every other application has ended, as they share the function.
   */
  @Test
  void aStoreBlipInsideTheFunctionIsRetriedAndTheApplicationStillSucceeds() throws Exception {
    for (String reference : submitted) {
      app.awaitEnd(reference, Duration.ofSeconds(90));
    }
    Map<String, String> loanProcessor = deployment.outputs().get(InfraApp.LOAN_PROCESSOR_STACK);
    String role = deployment.functionRole(loanProcessor.get("RequestValuationFunctionName"));
    int throttledBefore = deployment.faults().throttledRequests();
    String reference = "local-store-blip";

    deployment.faults().throttleDynamoDb(role, Duration.ofSeconds(4));
    JsonNode view;
    try {
      assertThat(app.submit(reference, "999", "PO1 1CE")).isEqualTo(202);
      view = app.awaitEnd(reference, Duration.ofSeconds(90));
    } finally {
      deployment.faults().clear();
    }

    assertThat(view.path("status").asText()).as(view.toString()).isEqualTo("SUCCEEDED");
    assertThat(view.at("/output/valuation/propertyValue").asLong()).isEqualTo(1_658_000);
    assertThat(deployment.faults().throttledRequests()).isGreaterThan(throttledBefore);
    List<JsonNode> failedAttempts =
        StreamSupport.stream(view.path("history").spliterator(), false)
            .filter(event -> event.path("type").asText().equals("TaskFailed"))
            .toList();
    assertThat(failedAttempts)
        .as("the function's failed attempts")
        .isNotEmpty()
        .allSatisfy(
            event ->
                assertThat(event.at("/details/error").asText())
                    .isEqualTo("ValuationServiceUnavailable"));
    assertThat(view.toString())
        .as("what GET shows is in our words")
        .doesNotContain("Exception", loanProcessor.get("TaskTokenTable"), "DynamoDB")
        .doesNotContainPattern("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*\\.[A-Z]")
        .doesNotContainPattern("\\bat [\\w$.]+\\(");
  }

  /**
   * What one valuation costs on AWS, counted: the requests a flow of the seed's example makes of
   * each billed service, with nothing else running. The counts are the README's table; if the code
   * makes another request per flow, this test and the table must change together.
   */
  @Test
  void oneValuationMakesTheRequestsTheCostTableCounts() throws Exception {
    for (String reference : submitted) {
      app.awaitEnd(reference, Duration.ofSeconds(90));
    }
    awaitMockValuerIdle();
    awaitSettled(deployment.iam().calls());
    Map<LocalIam.Call, Long> before = deployment.iam().calls();
    Instant started = Instant.now();

    assertThat(app.submit("local-cost", "999", "PO1 1CE")).isEqualTo(202);
    Map<LocalIam.Call, Long> submitting = since(before);
    JsonNode view = app.awaitEnd("local-cost", Duration.ofSeconds(60));
    assertThat(view.path("status").asText()).isEqualTo("SUCCEEDED");
    awaitMockValuerIdle();
    Map<LocalIam.Call, Long> used = awaitSettled(before);

    FlowCost cost = FlowCost.of(used, view, functionReports(started));
    System.out.println("Cost of one valuation: " + cost);
    assertThat(cost.stateTransitions()).isEqualTo(FlowCost.STATE_TRANSITIONS);
    assertThat(cost.lambdaRequests()).isEqualTo(FlowCost.LAMBDA_REQUESTS);
    assertThat(cost.writeRequestUnits())
        .as(used.toString())
        .isEqualTo(FlowCost.WRITE_REQUEST_UNITS);
    assertThat(cost.readRequestUnits()).as(used.toString()).isEqualTo(FlowCost.READ_REQUEST_UNITS);
    Map<String, Long> appSubmitting =
        submitting.entrySet().stream()
            .filter(e -> e.getKey().principal().endsWith("/" + Principals.APP_USER))
            .collect(Collectors.toMap(e -> e.getKey().action(), Map.Entry::getValue));
    assertThat(appSubmitting)
        .as("the submission records itself and starts the execution, and reads nothing")
        .containsEntry("dynamodb:PutItem", 1L)
        .containsEntry("states:StartExecution", 1L)
        .doesNotContainKey("states:DescribeExecution");
    assertThat(Files.readString(Path.of("..", "README.md")))
        .as("the README's cost table counts what the code does")
        .contains(FlowCost.readmeRows());
  }

  /** The calls made since {@code before}, once no new call came for a second. */
  private Map<LocalIam.Call, Long> awaitSettled(Map<LocalIam.Call, Long> before)
      throws InterruptedException {
    Map<LocalIam.Call, Long> last = Map.of();
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      Thread.sleep(1_000);
      Map<LocalIam.Call, Long> now = since(before);
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    return last;
  }

  /** The calls made since {@code before}, by principal and action. */
  private Map<LocalIam.Call, Long> since(Map<LocalIam.Call, Long> before) {
    Map<LocalIam.Call, Long> now = new java.util.HashMap<>(deployment.iam().calls());
    now.replaceAll((call, count) -> count - before.getOrDefault(call, 0L));
    now.values().removeIf(count -> count == 0);
    return now;
  }

  private void awaitMockValuerIdle() throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      JsonNode running =
          stepFunctions()
              .call(
                  "ListExecutions",
                  AppAgainstLocalDeployment.MAPPER
                      .createObjectNode()
                      .put("stateMachineArn", mockValuer())
                      .put("statusFilter", "RUNNING"));
      if (running.path("executions").isEmpty()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the mock valuer did not finish its executions");
  }

  /** The request-valuation function's REPORT lines logged since the instant. */
  private List<String> functionReports(Instant since) throws java.io.IOException {
    String function =
        deployment.outputs().get(InfraApp.LOAN_PROCESSOR_STACK).get("RequestValuationFunctionName");
    return Files.readAllLines(workDirectory.resolve("logs").resolve(function + ".log")).stream()
        .filter(line -> line.contains(" REPORT RequestId: "))
        .filter(line -> Instant.parse(line.substring(0, line.indexOf(' '))).isAfter(since))
        .toList();
  }

  /** The history of the mock valuer's execution for one valuation reference. */
  private List<JsonNode> mockValuerHistory(String valuationReference) {
    String execution =
        mockValuer().replace(":stateMachine:", ":execution:") + ":" + valuationReference;
    JsonNode history =
        stepFunctions()
            .call(
                "GetExecutionHistory",
                AppAgainstLocalDeployment.MAPPER
                    .createObjectNode()
                    .put("executionArn", execution)
                    .put("maxResults", 1000));
    return StreamSupport.stream(history.path("events").spliterator(), false).toList();
  }

  /**
   * What the webhook answered each execution of the mock valuer that ended, one line per execution:
   * {@code "200 RESUMED, 200 RESUMED"} for two deliveries; waiting until one matches.
   */
  private List<String> awaitMockValuerAnswers(java.util.function.Predicate<String> awaited)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    List<String> answers = mockValuerAnswers();
    while (answers.stream().noneMatch(awaited) && Instant.now().isBefore(deadline)) {
      Thread.sleep(250);
      answers = mockValuerAnswers();
    }
    return answers;
  }

  /** The input of every execution of the mock valuer: one per valuation it made. */
  private List<JsonNode> mockValuerInputs() {
    return mockValuerExecutions(null).stream()
        .map(execution -> readJson(execution.path("input").asText()))
        .toList();
  }

  private List<String> mockValuerAnswers() {
    List<String> answers = new ArrayList<>();
    for (JsonNode execution : mockValuerExecutions("SUCCEEDED")) {
      List<String> deliveries = new ArrayList<>();
      readJson(execution.path("output").asText())
          .path("deliveries")
          .forEach(
              d -> deliveries.add(d.path("status").asText() + " " + d.path("answer").asText("")));
      answers.add(String.join(", ", deliveries));
    }
    return answers;
  }

  /** The mock valuer's executions as {@code DescribeExecution} tells them, of a status or all. */
  private List<JsonNode> mockValuerExecutions(String status) {
    var request =
        AppAgainstLocalDeployment.MAPPER
            .createObjectNode()
            .put("stateMachineArn", mockValuer())
            .put("maxResults", 1000);
    if (status != null) {
      request.put("statusFilter", status);
    }
    List<JsonNode> described = new ArrayList<>();
    for (JsonNode execution : stepFunctions().call("ListExecutions", request).path("executions")) {
      described.add(
          stepFunctions()
              .call(
                  "DescribeExecution",
                  AppAgainstLocalDeployment.MAPPER
                      .createObjectNode()
                      .put("executionArn", execution.path("executionArn").asText())));
    }
    return described;
  }

  private com.valuationflow.infra.local.stepfunctions.LocalStepFunctions stepFunctions() {
    return deployment.services().stepFunctions();
  }

  private String mockValuer() {
    return deployment.outputs().get(InfraApp.MOCK_VALUER_STACK).get("MockValuerStateMachineArn");
  }

  private static JsonNode readJson(String text) {
    try {
      return AppAgainstLocalDeployment.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String reference(String trigger) {
    return "local-" + trigger.toLowerCase().replace(' ', '-');
  }

  private static List<String> types(JsonNode view) {
    return StreamSupport.stream(view.path("history").spliterator(), false)
        .map(event -> event.path("type").asText())
        .toList();
  }

  private static Instant timestamp(JsonNode view, String type) {
    return StreamSupport.stream(view.path("history").spliterator(), false)
        .filter(event -> event.path("type").asText().equals(type))
        .map(event -> Instant.parse(event.path("timestamp").asText()))
        .findFirst()
        .orElseThrow();
  }
}
