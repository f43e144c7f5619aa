package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.aws.DynamoDbLocal;
import com.valuationflow.aws.DynamoDbTaskTokenStore;
import com.valuationflow.aws.JdkHttpValuer;
import com.valuationflow.aws.LocalStepFunctions;
import com.valuationflow.aws.RequestValuationFunction;
import com.valuationflow.aws.StepFunctionsWorkflowResumer;
import com.valuationflow.aws.TaskTokenTable;
import com.valuationflow.domain.usecase.RequestValuation;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The app in {@code MODE=aws}, over real HTTP, against DynamoDB Local and a local Step Functions
 * endpoint. The local endpoint runs no state machine, so the test plays the RequestValuation step
 * itself: it issues the task token and invokes the deployed function's handler with the payload the
 * state machine sends.
 */
@ExtendWith(VertxExtension.class)
class AwsModeEndToEndTest {

  private static final String APPLICATION =
      "{\"applicationReference\":\"app-ref\",\"property\":{\"nameOrNumber\":\"999\",\"postcode\":\"PO1 1CE\"}}";

  private final String table = "task-tokens-" + UUID.randomUUID();
  private DynamoDbClient dynamoDb;
  private LocalStepFunctions stepFunctions;
  private SfnClient sfn;
  private ScriptedValuer valuer;
  private Vertx vertx;
  private RunningApp app;
  private String taskToken;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    dynamoDb = DynamoDbLocal.newClient();
    TaskTokenTable.create(dynamoDb, table);
    stepFunctions = LocalStepFunctions.start();
    sfn = stepFunctions.newClient();
    valuer = ScriptedValuer.start(vertx);
    app = startApp();
  }

  private RunningApp startApp() {
    return RunningApp.start(
        vertx, AppConfig.fromEnvironment(AwsModeEnvironment.of(table, stepFunctions.endpoint())));
  }

  @AfterEach
  void stop() {
    app.close();
    valuer.close();
    sfn.close();
    stepFunctions.close();
    dynamoDb.close();
  }

  /** What the state machine's RequestValuation task does: invoke the function with the token. */
  private ScriptedValuer.Received runRequestValuationStep() {
    String token = stepFunctions.issueTaskToken("app-ref");
    taskToken = token;
    RequestValuationFunction function =
        new RequestValuationFunction(
            new RequestValuation(
                new JdkHttpValuer(valuer.url(), Duration.ofSeconds(2), Duration.ofSeconds(5)),
                new DynamoDbTaskTokenStore(dynamoDb, table, Clock.systemUTC()),
                new StepFunctionsWorkflowResumer(sfn),
                URI.create(app.url("/webhooks/valuations")),
                Clock.systemUTC()));
    Map<String, Object> outcome =
        function.request(
            Map.of(
                "taskToken",
                token,
                "loanApplication",
                Map.of(
                    "applicationReference",
                    "app-ref",
                    "property",
                    Map.of("nameOrNumber", "999", "postcode", "PO1 1CE"),
                    "valuationTimeoutSeconds",
                    3600)));
    assertThat(outcome).containsEntry("outcome", "ValuationRequested");
    return valuer.nextRequest();
  }

  private static String valuation(ScriptedValuer.Received request, long value) {
    return "{\"valuationReference\":\""
        + request.valuationReference()
        + "\",\"propertyValue\":"
        + value
        + "}";
  }

  @Test
  void aCallbackResumesTheExecutionAndRepeatsAndForgeriesBehaveAsInMemory() {
    assertThat(app.post("/loan-applications", APPLICATION).status()).isEqualTo(202);
    assertThat(app.post("/loan-applications", APPLICATION).status()).isEqualTo(202);
    assertThat(app.get("/loan-applications/app-ref").json().path("status").asText())
        .isEqualTo("RUNNING");
    ScriptedValuer.Received request = runRequestValuationStep();

    RunningApp.Response forged =
        app.postAbs(
            request.callbackUrl(),
            "{\"valuationReference\":\"val-forged\",\"propertyValue\":1000000}");
    RunningApp.Response resumed = app.postAbs(request.callbackUrl(), valuation(request, 275_000));
    RunningApp.Response repeated = app.postAbs(request.callbackUrl(), valuation(request, 275_000));
    RunningApp.Response different = app.postAbs(request.callbackUrl(), valuation(request, 1));

    assertThat(forged.status()).isEqualTo(404);
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().path("outcome").asText()).isEqualTo("RESUMED");
    assertThat(repeated.status()).isEqualTo(200);
    assertThat(repeated.json().path("outcome").asText()).isEqualTo("DUPLICATE");
    assertThat(different.status()).isEqualTo(409);
    RunningApp.Response done = app.get("/loan-applications/app-ref");
    assertThat(done.json().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.json().at("/output/propertyValue").asLong()).isEqualTo(275_000);
  }

  /**
   * Step Functions applies the app's SendTaskSuccess but the answer is lost (500); the SDK's retry
   * gets TaskTimedOut. The execution's history shows the task succeeded with this callback's
   * output, so the callback resumed the application: 200, and a repeat of it is a duplicate.
   */
  @Test
  void aResendThatGetsTaskTimedOutAfterOurOwnSendWentThroughIsResumed() {
    app.post("/loan-applications", APPLICATION);
    ScriptedValuer.Received request = runRequestValuationStep();
    stepFunctions.failNext(1, LocalStepFunctions.Fault.APPLIED_THEN_SERVER_ERROR);

    RunningApp.Response resumed = app.postAbs(request.callbackUrl(), valuation(request, 275_000));
    RunningApp.Response repeated = app.postAbs(request.callbackUrl(), valuation(request, 275_000));

    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().path("outcome").asText()).isEqualTo("RESUMED");
    assertThat(repeated.status()).isEqualTo(200);
    assertThat(repeated.json().path("outcome").asText())
        .as("recorded as resumed")
        .isEqualTo("DUPLICATE");
    RunningApp.Response done = app.get("/loan-applications/app-ref");
    assertThat(done.json().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.json().at("/output/propertyValue").asLong()).isEqualTo(275_000);
  }

  /** The task timed out on its own before the callback: its send gets TaskTimedOut, and is late. */
  @Test
  void aCallbackAfterTheTaskTimedOutOnItsOwnIsLate() {
    app.post("/loan-applications", APPLICATION);
    ScriptedValuer.Received request = runRequestValuationStep();
    stepFunctions.timeOutTask(taskToken);

    RunningApp.Response late = app.postAbs(request.callbackUrl(), valuation(request, 275_000));
    RunningApp.Response repeated = app.postAbs(request.callbackUrl(), valuation(request, 275_000));

    assertThat(late.status()).isEqualTo(410);
    assertThat(late.json().path("type").asText()).endsWith("/problems/valuation-no-longer-awaited");
    assertThat(repeated.status()).isEqualTo(410);
    assertThat(app.get("/loan-applications/app-ref").json().path("status").asText())
        .isEqualTo("FAILED");
  }

  @Test
  void aRestartBetweenRequestAndCallbackLosesNothing() {
    app.post("/loan-applications", APPLICATION);
    ScriptedValuer.Received request = runRequestValuationStep();

    app.close();
    app = startApp();
    URI callbackAfterRestart =
        URI.create(
            app.url(request.callbackUrl().getPath() + "?" + request.callbackUrl().getQuery()));

    assertThat(app.postAbs(callbackAfterRestart, valuation(request, 333_000)).status())
        .isEqualTo(200);
    assertThat(app.get("/loan-applications/app-ref").json().path("status").asText())
        .isEqualTo("SUCCEEDED");
  }
}
