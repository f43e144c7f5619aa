package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.aws.LocalStepFunctions.Fault;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.WorkflowExecutions;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import com.valuationflow.domain.port.WorkflowStarterContract;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The Step Functions starter passes the port's contract with its record of submissions in DynamoDB
 * Local, never reads the execution, and maps the services' errors.
 */
class StepFunctionsWorkflowStarterTest extends WorkflowStarterContract {

  private static final LoanApplication APPLICATION = LoanApplication.of("app-1", "12", "PO1 1CE");

  private static LocalStepFunctions local;
  private static SfnClient sfn;
  private static DynamoDbClient dynamoDb;

  private String tableName;
  private DynamoDbSubmissions submissions;
  private StepFunctionsWorkflowStarter starter;

  @BeforeAll
  static void startLocalServices() {
    local = LocalStepFunctions.start();
    sfn = local.newClient();
    dynamoDb = DynamoDbLocal.newClient();
  }

  @AfterAll
  static void stopLocalServices() {
    dynamoDb.close();
    sfn.close();
    local.close();
  }

  @BeforeEach
  void reset() {
    local.reset();
    tableName = "task-tokens-" + UUID.randomUUID();
    TaskTokenTable.create(dynamoDb, tableName);
    submissions = new DynamoDbSubmissions(dynamoDb, tableName, Clock.systemUTC());
    starter = new StepFunctionsWorkflowStarter(sfn, LocalStepFunctions.STATE_MACHINE, submissions);
  }

  @Override
  protected WorkflowStarter starter() {
    return starter;
  }

  @Override
  protected WorkflowExecutions executions() {
    return new StepFunctionsWorkflowExecutions(sfn, LocalStepFunctions.STATE_MACHINE);
  }

  @Override
  protected void endExecution(ApplicationReference applicationReference) {
    local.abort(applicationReference.value());
  }

  @Test
  void aRepeatedStartIsSentAgainSoTheServiceDecides() {
    starter.start(INPUT);
    starter.start(INPUT);

    assertThat(local.requests("StartExecution")).isEqualTo(2);
  }

  @Test
  void aSubmissionReadsTheExecutionOnlyWhenTheServiceRefusesTheStart() {
    starter.start(INPUT);
    starter.start(INPUT);

    assertThat(local.requests("DescribeExecution")).isZero();
    assertThat(local.requests("StartExecution")).isEqualTo(2);

    starter.start(new WorkflowInput(APPLICATION, Duration.ofHours(2)));

    assertThat(local.requests("DescribeExecution")).isEqualTo(1);
  }

  @Test
  void theFirstSubmissionIsRecordedUntilTheLongestExecutionAndTheRetentionHavePassed() {
    Instant now = Instant.parse("2026-12-01T10:00:00.250Z");
    new StepFunctionsWorkflowStarter(
            sfn,
            LocalStepFunctions.STATE_MACHINE,
            new DynamoDbSubmissions(
                dynamoDb, tableName, Clock.fixed(now, ZoneOffset.UTC), Duration.ofDays(7)))
        .start(INPUT);

    Map<String, AttributeValue> record = record("app-1");
    assertThat(record).containsKey(DynamoDbSubmissions.RECORDED_BY);
    assertThat(Long.parseLong(record.get(TaskTokenTable.TTL_ATTRIBUTE).n()))
        .isEqualTo(now.plus(Duration.ofDays(365 + 7)).getEpochSecond() + 1);
  }

  @Test
  void aRecordWithoutAnExecutionStartsItAsAlreadySubmitted() {
    // what a crash between the record and the start leaves behind
    submissions.recordFirst(APPLICATION.applicationReference());

    assertThat(starter.start(INPUT)).isEqualTo(StartOutcome.ALREADY_STARTED);
    assertThat(executions().find(ApplicationReference.of("app-1"))).isPresent();
  }

  @Test
  void aFailedStartWithdrawsItsRecordSoThatTheRetryIsTheFirst() {
    local.failNext(3, Fault.SERVER_ERROR_QUOTING_REQUEST);

    assertThatThrownBy(() -> starter.start(INPUT))
        .isInstanceOf(WorkflowServiceUnavailableException.class);
    assertThat(record("app-1")).isEmpty();
    assertThat(starter.start(INPUT)).isEqualTo(StartOutcome.STARTED);
    assertThat(starter.start(INPUT)).isEqualTo(StartOutcome.ALREADY_STARTED);
  }

  @Test
  void aFailedRepeatLeavesTheFirstRecordInPlace() {
    starter.start(INPUT);
    local.failNext(3, Fault.SERVER_ERROR_QUOTING_REQUEST);

    assertThatThrownBy(() -> starter.start(INPUT))
        .isInstanceOf(WorkflowServiceUnavailableException.class);
    assertThat(record("app-1")).isNotEmpty();
    assertThat(starter.start(INPUT)).isEqualTo(StartOutcome.ALREADY_STARTED);
  }

  @Test
  void aTableItCannotWriteIsUnavailableAndStartsNothing() {
    StepFunctionsWorkflowStarter misconfigured =
        new StepFunctionsWorkflowStarter(
            sfn,
            LocalStepFunctions.STATE_MACHINE,
            new DynamoDbSubmissions(dynamoDb, "no-such-table", Clock.systemUTC()));

    assertThatThrownBy(() -> misconfigured.start(INPUT))
        .isInstanceOf(TaskTokenStoreUnavailableException.class)
        .hasMessageContaining("PutItem")
        .hasMessageContaining("no-such-table")
        .hasMessageContaining("submission#app-1")
        .hasMessageContaining("ResourceNotFoundException");
    assertThat(local.requests("StartExecution")).isZero();
  }

  @Test
  void theSameApplicationOnceItsExecutionSucceededIsARepeatAndAnotherConflicts() {
    starter.start(new WorkflowInput(APPLICATION, Duration.ofHours(1)));
    TaskToken token = TaskToken.of(local.issueTaskToken("app-1"));
    new StepFunctionsWorkflowResumer(sfn).succeed(token, new TaskOutput("{}"));

    assertThat(starter.start(new WorkflowInput(APPLICATION, Duration.ofHours(1))))
        .isEqualTo(StartOutcome.ALREADY_STARTED);
    assertThat(
            starter.start(
                new WorkflowInput(
                    LoanApplication.of("app-1", "13", "PO1 1CE"), Duration.ofHours(1))))
        .isEqualTo(StartOutcome.CONFLICTS_WITH_EXISTING);
  }

  @Test
  void aRefusedStartWhoseExecutionCannotBeReadIsUnavailableNotAConflict() {
    starter.start(INPUT);
    local.abort("app-1");
    local.failNext("DescribeExecution", 3, Fault.THROTTLING);

    assertThatThrownBy(() -> starter.start(INPUT))
        .isInstanceOf(WorkflowServiceUnavailableException.class)
        .hasMessageContaining("DescribeExecution");
    local.failNext(0, null);
    assertThat(starter.start(INPUT)).isEqualTo(StartOutcome.ALREADY_STARTED);
  }

  @Test
  void theInputIsValidJsonWhateverTheAddressHoldsAndReadsBackUnchanged() {
    String nameOrNumber = "Flat \"B\", C:\\\\ 😀 — ü\u2028";
    LoanApplication application = LoanApplication.of("app-2", nameOrNumber, "sw1a 1aa");

    assertThat(starter.start(new WorkflowInput(application, Duration.ofHours(1))))
        .isEqualTo(StartOutcome.STARTED);

    JsonObject input = new JsonObject(local.input("app-2").orElseThrow());
    assertThat(input.getString("applicationReference")).isEqualTo("app-2");
    assertThat(input.getJsonObject("property").getString("nameOrNumber")).isEqualTo(nameOrNumber);
    assertThat(input.getJsonObject("property").getString("postcode")).isEqualTo("sw1a 1aa");
  }

  @Test
  void throttlingIsRetriedByTheSdk() {
    local.failNext(1, Fault.THROTTLING);

    assertThat(starter.start(new WorkflowInput(APPLICATION, Duration.ofHours(1))))
        .isEqualTo(StartOutcome.STARTED);
    assertThat(
            new StepFunctionsWorkflowExecutions(sfn, LocalStepFunctions.STATE_MACHINE)
                .find(ApplicationReference.of("app-1")))
        .isPresent();
  }

  @Test
  void serverErrorsAreServiceUnavailable() {
    local.failNext(3, Fault.SERVER_ERROR_QUOTING_REQUEST);

    assertThatThrownBy(() -> starter.start(new WorkflowInput(APPLICATION, Duration.ofHours(1))))
        .isInstanceOf(WorkflowServiceUnavailableException.class)
        .hasMessageContaining("StartExecution")
        .hasMessageContaining("InternalFailure");
  }

  @Test
  void anUnknownStateMachineIsServiceUnavailable() {
    StepFunctionsWorkflowStarter misconfigured =
        new StepFunctionsWorkflowStarter(
            sfn,
            StateMachineArn.of("arn:aws:states:eu-west-2:123456789012:stateMachine:nope"),
            submissions);

    assertThatThrownBy(
            () -> misconfigured.start(new WorkflowInput(APPLICATION, Duration.ofHours(1))))
        .isInstanceOf(WorkflowServiceUnavailableException.class)
        .hasMessageContaining("StartExecution")
        .hasMessageContaining("StateMachineDoesNotExist");
  }

  private Map<String, AttributeValue> record(String applicationReference) {
    return dynamoDb
        .getItem(
            r ->
                r.tableName(tableName)
                    .key(
                        Map.of(
                            TaskTokenTable.PARTITION_KEY,
                            AttributeValue.fromS("submission#" + applicationReference)))
                    .consistentRead(true))
        .item();
  }
}
