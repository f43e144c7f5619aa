package com.valuationflow.infra.local;

import static com.valuationflow.infra.local.LocalAwsFixture.APP_KEY;
import static com.valuationflow.infra.local.LocalAwsFixture.NOBODY;
import static com.valuationflow.infra.local.LocalAwsFixture.NOBODY_KEY;
import static com.valuationflow.infra.local.LocalAwsFixture.VALUER;
import static com.valuationflow.infra.local.LocalAwsFixture.VALUER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.inmemory.workflow.TaskHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.TaskScheduledEventDetails;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * The callback pattern through the gateway: a {@code waitForTaskToken} task hands its token to a
 * function, and another principal answers with {@code SendTaskSuccess}, {@code SendTaskFailure} or
 * {@code SendTaskHeartbeat}.
 */
class TaskTokensThroughGatewayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FUNCTION =
      "arn:aws:lambda:eu-west-2:123456789012:function:request-valuation";
  private static final String ROLE = "arn:aws:iam::123456789012:role/loan-processor-role";

  private static LocalAwsFixture aws;
  private static SfnClient app;
  private static SfnClient valuer;
  private static final BlockingQueue<JsonNode> PAYLOADS = new LinkedBlockingQueue<>();
  private static String loanProcessor;
  private static String impatient;
  private static String secondProcessor;

  @BeforeAll
  static void start() {
    aws = new LocalAwsFixture();
    TaskHandler requestValuation =
        payload -> {
          PAYLOADS.add(payload);
          return JSON.readTree("{\"accepted\":true}");
        };
    loanProcessor =
        aws.stepFunctions.createStateMachine(
            "loan-processor",
            definition(100_000),
            ROLE,
            Map.of("request-valuation", requestValuation));
    impatient =
        aws.stepFunctions.createStateMachine(
            "impatient", definition(2), ROLE, Map.of("request-valuation", requestValuation));
    secondProcessor =
        aws.stepFunctions.createStateMachine(
            "second-processor", definition(100_000), ROLE, Map.of(FUNCTION, requestValuation));
    app = aws.sfn(APP_KEY);
    valuer = aws.sfn(VALUER_KEY);
  }

  @AfterAll
  static void stop() {
    app.close();
    valuer.close();
    aws.close();
  }

  private static String definition(int heartbeatSeconds) {
    return """
        {"StartAt": "RequestValuation", "States": {
          "RequestValuation": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "%s",
                           "Payload": {"taskToken.$": "$$.Task.Token", "input.$": "$"}},
            "HeartbeatSeconds": %d, "TimeoutSeconds": 200000,
            "Catch": [{"ErrorEquals": ["Valuer.Rejected"], "ResultPath": "$.error",
                       "Next": "Rejected"}],
            "Next": "Approved"},
          "Approved": {"Type": "Succeed"},
          "Rejected": {"Type": "Pass", "End": true}}}
        """
        .formatted(FUNCTION, heartbeatSeconds);
  }

  @Test
  void sendTaskSuccessResumesTheExecutionWithTheOutput() {
    String execution = start(loanProcessor, "success", "{\"loan\":1}");
    String token = nextToken();

    valuer.sendTaskSuccess(r -> r.taskToken(token).output("{\"value\":250000}"));

    DescribeExecutionResponse done = LocalAwsFixture.awaitEnd(app, execution);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("{\"value\":250000}");
    List<HistoryEvent> events = app.getExecutionHistory(r -> r.executionArn(execution)).events();
    assertThat(events)
        .extracting(HistoryEvent::typeAsString)
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded");
    TaskScheduledEventDetails scheduled = events.get(2).taskScheduledEventDetails();
    assertThat(scheduled.resourceType()).isEqualTo("lambda");
    assertThat(scheduled.resource()).isEqualTo("invoke.waitForTaskToken");
    assertThat(scheduled.region()).isEqualTo("eu-west-2");
    assertThat(scheduled.heartbeatInSeconds()).isEqualTo(100_000L);
    assertThat(scheduled.timeoutInSeconds()).isEqualTo(200_000L);
    assertThat(scheduled.parameters()).contains(FUNCTION);
    assertThat(events.get(4).taskSubmittedEventDetails().output()).contains("\"accepted\":true");
    assertThat(events.get(5).taskSucceededEventDetails().output()).isEqualTo("{\"value\":250000}");
    String rawHistory =
        RawAws.post(
                aws.gateway.endpoint(),
                "AWSStepFunctions.GetExecutionHistory",
                RawAws.authorization(APP_KEY, "states"),
                "{\"executionArn\":\"" + execution + "\"}")
            .body();
    // As in Step Functions, the scheduled task's parameters carry its token, and nothing else.
    assertThat(scheduled.parameters()).contains(token);
    assertThat(rawHistory.split(java.util.regex.Pattern.quote(token), -1)).hasSize(2);
  }

  @Test
  void aTokenAnswersOnceAndThenTimesOut() {
    start(loanProcessor, "once", "{}");
    String token = nextToken();
    valuer.sendTaskSuccess(r -> r.taskToken(token).output("{}"));

    assertThatThrownBy(() -> valuer.sendTaskSuccess(r -> r.taskToken(token).output("{}")))
        .isInstanceOf(TaskTimedOutException.class)
        .hasMessageNotContaining(token);
    assertThatThrownBy(() -> valuer.sendTaskHeartbeat(r -> r.taskToken(token)))
        .isInstanceOf(TaskTimedOutException.class);
    assertThatThrownBy(() -> valuer.sendTaskFailure(r -> r.taskToken(token)))
        .isInstanceOf(TaskTimedOutException.class);
  }

  @Test
  void sendTaskFailureFailsTheTaskForItsCatchOrTheExecution() {
    String caught = start(loanProcessor, "caught", "{\"loan\":2}");
    valuer.sendTaskFailure(
        r -> r.taskToken(nextToken()).error("Valuer.Rejected").cause("not a property"));
    String failed = start(loanProcessor, "failed", "{\"loan\":3}");
    valuer.sendTaskFailure(r -> r.taskToken(nextToken()).error("Valuer.Broken").cause("oops"));

    DescribeExecutionResponse recovered = LocalAwsFixture.awaitEnd(app, caught);
    assertThat(recovered.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(recovered.output())
        .isEqualTo(
            "{\"loan\":2,\"error\":{\"Error\":\"Valuer.Rejected\",\"Cause\":\"not a property\"}}");
    DescribeExecutionResponse broken = LocalAwsFixture.awaitEnd(app, failed);
    assertThat(broken.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(broken.error()).isEqualTo("Valuer.Broken");
    assertThat(broken.cause()).isEqualTo("oops");
    HistoryEvent taskFailed =
        app.getExecutionHistory(r -> r.executionArn(failed)).events().stream()
            .filter(event -> event.typeAsString().equals("TaskFailed"))
            .findFirst()
            .orElseThrow();
    assertThat(taskFailed.taskFailedEventDetails().error()).isEqualTo("Valuer.Broken");
    assertThat(taskFailed.taskFailedEventDetails().resourceType()).isEqualTo("lambda");
    HistoryEvent executionFailed =
        app.getExecutionHistory(r -> r.executionArn(failed).reverseOrder(true)).events().get(0);
    assertThat(executionFailed.executionFailedEventDetails().cause()).isEqualTo("oops");
  }

  @Test
  void aHeartbeatIsAcceptedAndAMissedOneTimesTheTaskOut() {
    start(loanProcessor, "beating", "{}");
    String beating = nextToken();
    valuer.sendTaskHeartbeat(r -> r.taskToken(beating));
    String late = start(impatient, "late", "{}");
    String lateToken = nextToken();

    DescribeExecutionResponse timedOut = LocalAwsFixture.awaitEnd(app, late);

    assertThat(timedOut.status()).isEqualTo(ExecutionStatus.FAILED);
    // As AWS records a missed heartbeat: States.Timeout, which States.HeartbeatTimeout also
    // catches.
    assertThat(timedOut.error()).isEqualTo("States.Timeout");
    assertThatThrownBy(() -> valuer.sendTaskSuccess(r -> r.taskToken(lateToken).output("{}")))
        .isInstanceOf(TaskTimedOutException.class);
    valuer.sendTaskSuccess(r -> r.taskToken(beating).output("{}"));
  }

  @Test
  void tokensReachTheStateMachineThatIssuedThem() {
    String first = start(loanProcessor, "routed", "{}");
    String firstToken = nextToken();
    String second = start(secondProcessor, "routed", "{}");
    String secondToken = nextToken();

    valuer.sendTaskSuccess(r -> r.taskToken(secondToken).output("{\"machine\":2}"));
    valuer.sendTaskSuccess(r -> r.taskToken(firstToken).output("{\"machine\":1}"));

    assertThat(LocalAwsFixture.awaitEnd(app, first).output()).isEqualTo("{\"machine\":1}");
    assertThat(LocalAwsFixture.awaitEnd(app, second).output()).isEqualTo("{\"machine\":2}");
    assertThat(aws.authorizer.decisions())
        .contains(
            VALUER + " states:SendTaskSuccess " + loanProcessor,
            VALUER + " states:SendTaskSuccess " + secondProcessor);
  }

  @Test
  void unknownTokensAndBadOutputAreRefused() {
    String execution = start(loanProcessor, "refusals", "{}");
    String token = nextToken();

    assertThatThrownBy(() -> valuer.sendTaskSuccess(r -> r.taskToken("not-a-token").output("{}")))
        .isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(
            () -> valuer.sendTaskSuccess(r -> r.taskToken("vfwt1." + "A".repeat(43)).output("{}")))
        .isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> valuer.sendTaskSuccess(r -> r.taskToken(token).output("{not json")))
        .isInstanceOf(InvalidOutputException.class)
        .hasMessageNotContaining(token);
    assertThatThrownBy(() -> valuer.sendTaskFailure(r -> r.taskToken(token).error("e".repeat(257))))
        .isInstanceOfSatisfying(
            SfnException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    valuer.sendTaskSuccess(r -> r.taskToken(token).output("{}"));
    assertThat(LocalAwsFixture.awaitEnd(app, execution).status())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void principalsMayDoOnlyWhatTheyAreGranted() {
    start(loanProcessor, "guarded", "{}");
    String token = nextToken();

    try (SfnClient nobody = aws.sfn(NOBODY_KEY)) {
      assertThatThrownBy(() -> nobody.sendTaskSuccess(r -> r.taskToken(token).output("{}")))
          .isInstanceOfSatisfying(
              SfnException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains(NOBODY, "states:SendTaskSuccess", loanProcessor)
                    .doesNotContain(token);
              });
    }
    assertThatThrownBy(() -> valuer.startExecution(r -> r.stateMachineArn(loanProcessor)))
        .isInstanceOfSatisfying(
            SfnException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    valuer.sendTaskSuccess(r -> r.taskToken(token).output("{}"));
  }

  private static String start(String stateMachine, String name, String input) {
    return app.startExecution(r -> r.stateMachineArn(stateMachine).name(name).input(input))
        .executionArn();
  }

  private static String nextToken() {
    try {
      JsonNode payload = PAYLOADS.poll(10, TimeUnit.SECONDS);
      assertThat(payload).as("a payload within 10 s").isNotNull();
      return payload.get("taskToken").textValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
