package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.valuationflow.aws.LocalStepFunctions.Fault;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.ExecutionPage;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.model.WorkflowExecutionSummary;
import com.valuationflow.domain.model.WorkflowInput;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

class StepFunctionsWorkflowExecutionsTest {

  private static final ApplicationReference REFERENCE = ApplicationReference.of("app-1");
  private static final String OUTPUT =
      "{\"valuationReference\":\"val-1\",\"propertyValue\":250000}";

  private static LocalStepFunctions local;
  private static SfnClient sfn;
  private static StepFunctionsWorkflowExecutions executions;
  private static StepFunctionsWorkflowResumer resumer;

  private Instant startedAfter;
  private TaskToken token;

  @BeforeAll
  static void startLocalStepFunctions() {
    local = LocalStepFunctions.start();
    sfn = local.newClient();
    executions = new StepFunctionsWorkflowExecutions(sfn, LocalStepFunctions.STATE_MACHINE);
    resumer = new StepFunctionsWorkflowResumer(sfn);
  }

  @AfterAll
  static void stopLocalStepFunctions() {
    sfn.close();
    local.close();
  }

  @BeforeEach
  void waitingExecution() {
    local.reset();
    startedAfter = Instant.now().minusMillis(1);
    LocalStepFunctions.startExecution(
        sfn,
        new WorkflowInput(
            LoanApplication.of(REFERENCE.value(), "12", "PO1 1CE"), Duration.ofHours(1)));
    token = TaskToken.of(local.issueTaskToken(REFERENCE.value()));
  }

  @Test
  void anExecutionThatDoesNotExistIsEmpty() {
    assertThat(executions.find(ApplicationReference.of("app-unknown"))).isEmpty();
  }

  @Test
  void aWaitingExecutionIsRunningWithItsHistoryOldestFirst() {
    WorkflowExecution execution = executions.find(REFERENCE).orElseThrow();

    assertThat(execution.applicationReference()).isEqualTo(REFERENCE);
    assertThat(execution.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(execution.startDate()).isBetween(startedAfter, Instant.now());
    assertThat(execution.stopDate()).isEmpty();
    assertThat(execution.input()).contains("\"applicationReference\":\"app-1\"");
    assertThat(execution.output()).isEmpty();
    assertThat(execution.history())
        .extracting(HistoryEvent::type)
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted");
    assertThat(execution.history())
        .extracting(HistoryEvent::id, HistoryEvent::previousEventId)
        .containsExactly(tuple(1L, 0L), tuple(2L, 1L), tuple(3L, 2L), tuple(4L, 3L), tuple(5L, 4L));
    assertThat(execution.history().get(0).timestamp()).isBetween(startedAfter, Instant.now());
    assertThat(execution.history().get(1).details()).isEqualTo(Map.of("name", "RequestValuation"));
    assertThat(execution.history().get(2).details())
        .isEqualTo(Map.of("resourceType", "lambda", "resource", "invoke.waitForTaskToken"));
  }

  @Test
  void theWaitingTaskNamesTheValuationReferenceAndNothingElseOfItsSubmission() {
    WorkflowExecution execution = executions.find(REFERENCE).orElseThrow();

    assertThat(event(execution, "TaskSubmitted").details())
        .containsEntry("valuationReference", "val-app-1")
        .doesNotContainKey("output");
  }

  @Test
  void executionsAreListedNewestFirstInPagesAndByStatus() {
    LocalStepFunctions.startExecution(
        sfn, new WorkflowInput(LoanApplication.of("app-2", "12", "PO1 1CE"), Duration.ofHours(1)));
    resumer.succeed(token, new TaskOutput(OUTPUT));

    ExecutionPage first = executions.list(Optional.empty(), 1, Optional.empty());
    ExecutionPage second = executions.list(Optional.empty(), 1, first.nextPageToken());

    assertThat(first.executions())
        .extracting(summary -> summary.applicationReference().value())
        .containsExactly("app-2");
    assertThat(second.executions())
        .extracting(
            WorkflowExecutionSummary::applicationReference, WorkflowExecutionSummary::status)
        .containsExactly(tuple(REFERENCE, ExecutionStatus.SUCCEEDED));
    assertThat(second.executions().get(0).stopDate()).isPresent();
    assertThat(second.nextPageToken()).isEmpty();
    assertThat(
            executions
                .list(Optional.of(ExecutionStatus.SUCCEEDED), 10, Optional.empty())
                .executions())
        .extracting(WorkflowExecutionSummary::applicationReference)
        .containsExactly(REFERENCE);
  }

  @Test
  void theDefinitionIsTheStateMachines() {
    assertThat(executions.definition()).isEqualTo(LocalStepFunctions.DEFINITION);
  }

  @Test
  void historyIsReadAcrossPages() {
    local.historyPageSize(1);

    assertThat(executions.find(REFERENCE).orElseThrow().history()).hasSize(5);
    assertThat(local.requests("GetExecutionHistory")).isEqualTo(5);
  }

  @Test
  void aSucceededExecutionHasItsOutput() {
    resumer.succeed(token, new TaskOutput(OUTPUT));

    WorkflowExecution execution = executions.find(REFERENCE).orElseThrow();

    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(execution.stopDate()).isPresent();
    assertThat(execution.output()).contains(OUTPUT);
    assertThat(execution.history())
        .extracting(HistoryEvent::type)
        .endsWith("TaskSucceeded", "TaskStateExited", "ExecutionSucceeded");
    assertThat(event(execution, "TaskSucceeded").details()).containsEntry("output", OUTPUT);
    assertThat(event(execution, "TaskStateExited").details())
        .isEqualTo(Map.of("name", "RequestValuation"));
    assertThat(event(execution, "ExecutionSucceeded").details())
        .isEqualTo(Map.of("output", OUTPUT));
  }

  @Test
  void aFailedExecutionHasItsErrorAndCause() {
    resumer.fail(token, TaskFailure.of("Valuation.Refused", "no access to the property"));

    WorkflowExecution execution = executions.find(REFERENCE).orElseThrow();

    assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(execution.error()).contains("Valuation.Refused");
    assertThat(execution.cause()).contains("no access to the property");
    assertThat(event(execution, "ExecutionFailed").details())
        .isEqualTo(Map.of("error", "Valuation.Refused", "cause", "no access to the property"));
  }

  @Test
  void noTaskTokenIsEverReadBack() {
    String cause = "{\"errorMessage\":\"bad\",\"taskToken\":\"" + token.value() + "\"}";
    resumer.fail(token, TaskFailure.of("Valuation.Refused", cause));

    WorkflowExecution execution = executions.find(REFERENCE).orElseThrow();

    assertThat(execution.toString()).doesNotContain(token.value());
    assertThat(event(execution, "TaskScheduled").details()).doesNotContainKey("parameters");
    assertThat(event(execution, "TaskSubmitted").details()).doesNotContainKey("output");
    assertThat(execution.cause())
        .contains("{\"errorMessage\":\"bad\",\"taskToken\":\"" + Redaction.REDACTED + "\"}");
    assertThat(event(execution, "TaskFailed").details().get("cause"))
        .isEqualTo(execution.cause().orElseThrow());
  }

  @Test
  void serverErrorsAreServiceUnavailable() {
    local.failNext(3, Fault.SERVER_ERROR_QUOTING_REQUEST);

    assertThatThrownBy(() -> executions.find(REFERENCE))
        .isInstanceOf(WorkflowServiceUnavailableException.class)
        .hasMessageContaining("DescribeExecution")
        .hasMessageContaining("HTTP 500");
  }

  @Test
  void throttlingIsRetriedByTheSdk() {
    local.failNext(1, Fault.THROTTLING);

    assertThat(executions.find(REFERENCE)).isPresent();
    assertThat(local.requests("DescribeExecution")).isEqualTo(2);
  }

  @Test
  void aTimeoutIsServiceUnavailable() {
    local.failNext(Integer.MAX_VALUE, Fault.NO_RESPONSE);
    try (SfnClient impatient =
        local
            .clients()
            .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300))
            .newSfnClient()) {
      assertThatThrownBy(
              () ->
                  new StepFunctionsWorkflowExecutions(impatient, LocalStepFunctions.STATE_MACHINE)
                      .find(REFERENCE))
          .isInstanceOf(WorkflowServiceUnavailableException.class);
    }
  }

  private static HistoryEvent event(WorkflowExecution execution, String type) {
    return execution.history().stream()
        .filter(event -> event.type().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
