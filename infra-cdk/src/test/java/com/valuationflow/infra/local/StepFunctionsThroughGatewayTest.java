package com.valuationflow.infra.local;

import static com.valuationflow.infra.local.LocalAwsFixture.ACCOUNT;
import static com.valuationflow.infra.local.LocalAwsFixture.APP;
import static com.valuationflow.infra.local.LocalAwsFixture.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/** The Step Functions API of executions, through the gateway with the real SDK client. */
class StepFunctionsThroughGatewayTest {

  private static final String PASS =
      """
      {"StartAt": "State_1", "States": {
        "State_1": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": true}}}
      """;
  private static final String WAIT =
      """
      {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 100000, "End": true}}}
      """;
  private static final String ROLE = "arn:aws:iam::123456789012:role/machine-role";

  private static LocalAwsFixture aws;
  private static SfnClient sfn;
  private static String passMachine;
  private static String waitMachine;

  @BeforeAll
  static void start() {
    aws = new LocalAwsFixture();
    passMachine = aws.stepFunctions.createStateMachine("pass", PASS, ROLE, Map.of());
    waitMachine = aws.stepFunctions.createStateMachine("hold", WAIT, ROLE, Map.of());
    sfn = aws.sfn(APP_KEY);
  }

  @AfterAll
  static void stop() {
    sfn.close();
    aws.close();
  }

  @Test
  void anExecutionStartsRunsAndIsDescribed() {
    Instant before = Instant.now().minusMillis(1);
    StartExecutionResponse started =
        sfn.startExecution(r -> r.stateMachineArn(passMachine).name("run-1").input("{\"a\":1}"));

    assertThat(started.executionArn())
        .isEqualTo("arn:aws:states:eu-west-2:" + ACCOUNT + ":execution:pass:run-1");
    assertThat(started.startDate()).isAfter(before);
    DescribeExecutionResponse done = LocalAwsFixture.awaitEnd(sfn, started.executionArn());
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.stateMachineArn()).isEqualTo(passMachine);
    assertThat(done.name()).isEqualTo("run-1");
    assertThat(done.input()).isEqualTo("{\"a\":1}");
    assertThat(done.output()).isEqualTo("{\"Arg1\":\"argument1\"}");
    assertThat(done.inputDetails().included()).isTrue();
    assertThat(done.stopDate()).isAfterOrEqualTo(done.startDate());
    assertThat(done.redriveCount()).isZero();
    assertThat(
            sfn.describeExecution(
                    r -> r.executionArn(started.executionArn()).includedData("METADATA_ONLY"))
                .input())
        .isNull();
  }

  @Test
  void theHistoryHasTheServiceShape() {
    String arn =
        sfn.startExecution(r -> r.stateMachineArn(passMachine).name("shape")).executionArn();
    LocalAwsFixture.awaitEnd(sfn, arn);

    List<HistoryEvent> events = sfn.getExecutionHistory(r -> r.executionArn(arn)).events();

    assertThat(events)
        .extracting(HistoryEvent::typeAsString)
        .containsExactly(
            "ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded");
    assertThat(events).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L);
    assertThat(events).extracting(HistoryEvent::previousEventId).containsExactly(0L, 0L, 2L, 3L);
    assertThat(events.get(0).executionStartedEventDetails().input()).isEqualTo("{}");
    assertThat(events.get(0).executionStartedEventDetails().roleArn()).isEqualTo(ROLE);
    assertThat(events.get(0).executionStartedEventDetails().inputDetails().truncated()).isFalse();
    assertThat(events.get(1).stateEnteredEventDetails().name()).isEqualTo("State_1");
    assertThat(events.get(2).stateExitedEventDetails().output())
        .isEqualTo("{\"Arg1\":\"argument1\"}");
    assertThat(events.get(3).executionSucceededEventDetails().output())
        .isEqualTo("{\"Arg1\":\"argument1\"}");
    assertThat(events.get(3).timestamp()).isAfterOrEqualTo(events.get(0).timestamp());
    assertThat(
            sfn.getExecutionHistory(r -> r.executionArn(arn).includeExecutionData(false))
                .events()
                .get(0)
                .executionStartedEventDetails()
                .input())
        .isNull();
  }

  @Test
  void historyPagesForwardAndBackward() {
    String arn =
        sfn.startExecution(r -> r.stateMachineArn(passMachine).name("paged")).executionArn();
    LocalAwsFixture.awaitEnd(sfn, arn);

    GetExecutionHistoryResponse first =
        sfn.getExecutionHistory(r -> r.executionArn(arn).maxResults(3));
    GetExecutionHistoryResponse second =
        sfn.getExecutionHistory(
            r -> r.executionArn(arn).maxResults(3).nextToken(first.nextToken()));

    assertThat(first.events()).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L);
    assertThat(second.events()).extracting(HistoryEvent::id).containsExactly(4L);
    assertThat(second.nextToken()).isNull();
    assertThat(
            sfn
                .getExecutionHistoryPaginator(
                    r -> r.executionArn(arn).maxResults(1).reverseOrder(true))
                .events()
                .stream()
                .map(HistoryEvent::id))
        .containsExactly(4L, 3L, 2L, 1L);
    assertThatThrownBy(
            () -> sfn.getExecutionHistory(r -> r.executionArn(arn).nextToken("not-a-token")))
        .isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void executionsAreListedNewestFirstInPagesAndByStatus() {
    String machine = aws.stepFunctions.createStateMachine("listed", PASS, ROLE, Map.of());
    for (int i = 1; i <= 5; i++) {
      String name = "e" + i;
      LocalAwsFixture.awaitEnd(
          sfn, sfn.startExecution(r -> r.stateMachineArn(machine).name(name)).executionArn());
    }

    ListExecutionsResponse first =
        sfn.listExecutions(r -> r.stateMachineArn(machine).maxResults(2));
    List<String> all = new ArrayList<>();
    sfn.listExecutionsPaginator(r -> r.stateMachineArn(machine).maxResults(2))
        .executions()
        .forEach(item -> all.add(item.name()));

    assertThat(first.executions()).extracting(ExecutionListItem::name).containsExactly("e5", "e4");
    assertThat(first.nextToken()).isNotNull();
    assertThat(all).containsExactly("e5", "e4", "e3", "e2", "e1");
    ExecutionListItem item = first.executions().get(0);
    assertThat(item.stateMachineArn()).isEqualTo(machine);
    assertThat(item.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(item.stopDate()).isNotNull();
    assertThat(
            sfn.listExecutions(
                    r -> r.stateMachineArn(machine).statusFilter(ExecutionStatus.RUNNING))
                .executions())
        .isEmpty();
    assertThatThrownBy(() -> sfn.listExecutions(r -> r.stateMachineArn(machine).maxResults(1001)))
        .isInstanceOfSatisfying(
            SfnException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
  }

  @Test
  void stopAbortsARunningExecutionWithErrorAndCause() {
    String arn =
        sfn.startExecution(r -> r.stateMachineArn(waitMachine).name("to-stop")).executionArn();

    Instant stopDate =
        sfn.stopExecution(r -> r.executionArn(arn).error("Cancelled").cause("by the test"))
            .stopDate();

    DescribeExecutionResponse stopped = sfn.describeExecution(r -> r.executionArn(arn));
    assertThat(stopped.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(stopped.error()).isEqualTo("Cancelled");
    assertThat(stopped.cause()).isEqualTo("by the test");
    assertThat(stopped.stopDate()).isEqualTo(stopDate);
    List<HistoryEvent> events = sfn.getExecutionHistory(r -> r.executionArn(arn)).events();
    HistoryEvent aborted = events.get(events.size() - 1);
    assertThat(aborted.typeAsString()).isEqualTo("ExecutionAborted");
    assertThat(aborted.executionAbortedEventDetails().error()).isEqualTo("Cancelled");
    assertThat(sfn.stopExecution(r -> r.executionArn(arn)).stopDate()).isEqualTo(stopDate);
  }

  @Test
  void startingAgainIsIdempotentWithTheSameInputAndConflictsWithAnother() {
    StartExecutionResponse first =
        sfn.startExecution(r -> r.stateMachineArn(waitMachine).name("same").input("{\"a\":1}"));

    StartExecutionResponse again =
        sfn.startExecution(r -> r.stateMachineArn(waitMachine).name("same").input("{\"a\":1}"));

    assertThat(again.executionArn()).isEqualTo(first.executionArn());
    assertThat(again.startDate()).isEqualTo(first.startDate());
    assertThatThrownBy(
            () ->
                sfn.startExecution(
                    r -> r.stateMachineArn(waitMachine).name("same").input("{\"a\":2}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class)
        .hasMessageContaining("Execution Already Exists: '" + first.executionArn() + "'");
    sfn.stopExecution(r -> r.executionArn(first.executionArn()));
    assertThatThrownBy(
            () ->
                sfn.startExecution(
                    r -> r.stateMachineArn(waitMachine).name("same").input("{\"a\":1}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
  }

  @Test
  void anExecutionWithoutANameGetsAUuid() {
    String arn = sfn.startExecution(r -> r.stateMachineArn(passMachine)).executionArn();

    assertThat(arn.substring(arn.lastIndexOf(':') + 1))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  @Test
  void invalidRequestsAnswerTheServiceErrors() {
    assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(passMachine + "-gone")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(
            () ->
                sfn.startExecution(
                    r -> r.stateMachineArn(passMachine.replace("123456789012", "210987654321"))))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn("not-an-arn")))
        .isInstanceOf(InvalidArnException.class)
        .hasMessageContaining("Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
    assertThatThrownBy(
            () -> sfn.startExecution(r -> r.stateMachineArn(passMachine).name("has space")))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(
            () -> sfn.startExecution(r -> r.stateMachineArn(passMachine).input("{'a': 1}")))
        .isInstanceOf(InvalidExecutionInputException.class);
    assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(passMachine).input("")))
        .isInstanceOf(InvalidExecutionInputException.class);
    assertThatThrownBy(
            () ->
                sfn.describeExecution(
                    r ->
                        r.executionArn(passMachine.replace("stateMachine", "execution") + ":nope")))
        .isInstanceOf(ExecutionDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.describeExecution(r -> r.executionArn(passMachine)))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.getExecutionHistory(r -> r.executionArn("arn:aws:sqs:x")))
        .isInstanceOf(InvalidArnException.class);
  }

  @Test
  void stateMachinesAreDescribedAndListed() {
    DescribeStateMachineResponse described =
        sfn.describeStateMachine(r -> r.stateMachineArn(passMachine));

    assertThat(described.name()).isEqualTo("pass");
    assertThat(described.definition()).isEqualTo(PASS);
    assertThat(described.roleArn()).isEqualTo(ROLE);
    assertThat(described.typeAsString()).isEqualTo("STANDARD");
    assertThat(described.statusAsString()).isEqualTo("ACTIVE");
    assertThat(described.creationDate()).isNotNull();
    assertThat(sfn.listStateMachines(r -> r.maxResults(1)).stateMachines())
        .singleElement()
        .satisfies(item -> assertThat(item.stateMachineArn()).isEqualTo(passMachine));
    assertThat(sfn.listStateMachinesPaginator(r -> r.maxResults(1)).stateMachines().stream())
        .extracting(item -> item.name())
        .startsWith("pass", "hold");
    String execution = sfn.startExecution(r -> r.stateMachineArn(passMachine)).executionArn();
    assertThat(
            sfn.describeStateMachineForExecution(r -> r.executionArn(execution)).stateMachineArn())
        .isEqualTo(passMachine);
  }

  @Test
  void theGatewayAuthorizesEachOperationOnItsResource() {
    aws.authorizer.clear();
    String arn =
        sfn.startExecution(r -> r.stateMachineArn(passMachine).name("authz")).executionArn();
    sfn.describeExecution(r -> r.executionArn(arn));
    sfn.listStateMachines(r -> {});

    assertThat(aws.authorizer.decisions())
        .contains(
            APP + " states:StartExecution " + passMachine,
            APP + " states:DescribeExecution " + arn,
            APP + " states:ListStateMachines *");
  }
}
