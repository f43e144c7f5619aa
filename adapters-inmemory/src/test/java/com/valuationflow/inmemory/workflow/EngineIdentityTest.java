package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.TaskToken;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a Step Functions service built on engines needs of them: the region, account and role in
 * ARNs, the context object and history; listing executions; finding which engine issued a token.
 */
class EngineIdentityTest extends EngineTestSupport {

  private static final String ROLE = "arn:aws:iam::123456789012:role/loan-processor-role";

  private WorkflowEngine identified;

  @AfterEach
  void closeIdentified() {
    if (identified != null) {
      identified.close();
    }
  }

  private WorkflowEngine identifiedEngine(String definition) {
    identified =
        WorkflowEngine.builder(StateMachineDefinition.parse(definition))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .secondLength(SECOND)
            .stateMachineName("loan-processor")
            .region("eu-west-2")
            .accountId("123456789012")
            .roleArn(ROLE)
            .build();
    return identified;
  }

  @Test
  void theContextObjectCarriesTheConfiguredArnsAndRole() {
    WorkflowEngine engine =
        identifiedEngine(
            """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
              "execution.$": "$$.Execution.Id",
              "machine.$": "$$.StateMachine.Id",
              "role.$": "$$.Execution.RoleArn"}, "End": true}}}
            """);

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(json(done.output().orElseThrow()))
        .isEqualTo(
            json(
                """
                {"execution": "arn:aws:states:eu-west-2:123456789012:execution:loan-processor:run",
                 "machine": "arn:aws:states:eu-west-2:123456789012:stateMachine:loan-processor",
                 "role": "%s"}
                """
                    .formatted(ROLE)));
    assertThat(engine.stateMachineArn())
        .isEqualTo("arn:aws:states:eu-west-2:123456789012:stateMachine:loan-processor");
    assertThat(engine.executionArn("x"))
        .isEqualTo("arn:aws:states:eu-west-2:123456789012:execution:loan-processor:x");
  }

  @Test
  void historyRecordsTheRoleAndTheTaskRegion() {
    WorkflowEngine engine = identifiedEngine(waitingDefinition(""));
    Waiter waiter = new Waiter();
    engine.registerFunction("waiter", waiter);
    engine.start("loan-1", "{}");
    waiter.nextPayload();

    ExecutionSnapshot running = engine.describe("loan-1").orElseThrow();

    assertThat(running.history().get(0).details()).containsEntry("roleArn", ROLE);
    assertThat(running.history())
        .filteredOn(event -> event.type().equals("TaskScheduled"))
        .singleElement()
        .extracting(HistoryEvent::details)
        .satisfies(details -> assertThat(details).containsEntry("region", "eu-west-2"));
  }

  @Test
  void defaultsAreALocalRegionAndAZeroAccount() {
    WorkflowEngine engine =
        engine("{\"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Succeed\"}}}");

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(engine.stateMachineArn())
        .isEqualTo("arn:aws:states:local:000000000000:stateMachine:TestMachine");
    assertThat(done.history().get(0).details())
        .containsEntry("roleArn", "arn:aws:iam::000000000000:role/in-memory-workflow-engine");
  }

  @Test
  void invalidRegionsAccountsAndRolesAreRefused() {
    WorkflowEngine.Builder builder =
        WorkflowEngine.builder(
            StateMachineDefinition.parse(
                "{\"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Succeed\"}}}"));

    assertThatThrownBy(() -> builder.region("EU WEST"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.accountId("1234"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.roleArn("role")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void executionsAreListedOldestFirstWithStatusAndDates() {
    WorkflowEngine engine = engine(waitingDefinition(""));
    Waiter waiter = new Waiter();
    engine.registerFunction("waiter", waiter);
    engine.start("first", "{}");
    TaskToken first = waiter.nextToken();
    engine.start("second", "{}");
    waiter.nextPayload();
    engine.sendTaskSuccess(first, "{}");
    completion(engine, "first");

    assertThat(engine.listExecutions())
        .containsExactly(
            new ExecutionSummary("first", ExecutionStatus.SUCCEEDED, NOW, Optional.of(NOW)),
            new ExecutionSummary("second", ExecutionStatus.RUNNING, NOW, Optional.empty()));
  }

  @Test
  void anEngineKnowsTheTokensItIssuedEvenAfterTheirTasksClosed() {
    WorkflowEngine engine = engine(waitingDefinition(""));
    Waiter waiter = new Waiter();
    engine.registerFunction("waiter", waiter);
    WorkflowEngine other = engine(waitingDefinition(""));
    engine.start("loan-1", "{}");
    TaskToken token = waiter.nextToken();

    assertThat(engine.hasIssued(token)).isTrue();
    assertThat(other.hasIssued(token)).isFalse();
    engine.sendTaskSuccess(token, "{}");
    assertThat(engine.hasIssued(token)).isTrue();
    assertThat(engine.hasIssued(TaskToken.of("not-a-token"))).isFalse();
  }

  @Test
  void aStopFollowsNoEventAsInStepFunctions() {
    WorkflowEngine engine = engine(waitingDefinition(""));
    engine.registerFunction("waiter", new Waiter());
    engine.start("loan-1", "{}");

    engine.stopExecution("loan-1", null, null);

    List<HistoryEvent> history = completion(engine, "loan-1").history();
    HistoryEvent aborted = history.get(history.size() - 1);
    assertThat(aborted.type()).isEqualTo("ExecutionAborted");
    assertThat(aborted.previousEventId()).isZero();
  }

  @Test
  void namesAreValidatedAsStepFunctionsDoes() {
    assertThat(WorkflowEngine.isValidName("loan-APP_1.2")).isTrue();
    assertThat(WorkflowEngine.isValidName("a".repeat(80))).isTrue();
    assertThat(WorkflowEngine.isValidName("a".repeat(81))).isFalse();
    assertThat(WorkflowEngine.isValidName("")).isFalse();
    assertThat(WorkflowEngine.isValidName(null)).isFalse();
    assertThat(WorkflowEngine.isValidName("a b")).isFalse();
    assertThat(WorkflowEngine.isValidName("a:b")).isFalse();
    assertThat(WorkflowEngine.isValidName("a*")).isFalse();
  }
}
