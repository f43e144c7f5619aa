package com.valuationflow.aws;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.ExecutionPage;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.model.WorkflowExecutionSummary;
import com.valuationflow.domain.port.WorkflowExecutions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;

/**
 * Looks up loan-processor executions with Step Functions' {@code DescribeExecution} and {@code
 * GetExecutionHistory}, the execution named by the application reference; lists them with {@code
 * ListExecutions} (newest first, its page token passed through) and reads the definition with
 * {@code DescribeStateMachine}. History details never include a task token: see {@link
 * HistoryEvents}.
 */
public final class StepFunctionsWorkflowExecutions implements WorkflowExecutions {

  private static final int PAGE_SIZE = 1000;

  private final SfnClient sfn;
  private final StateMachineArn stateMachine;

  public StepFunctionsWorkflowExecutions(SfnClient sfn, StateMachineArn stateMachine) {
    this.sfn = Objects.requireNonNull(sfn, "'sfn' must not be null");
    this.stateMachine = Objects.requireNonNull(stateMachine, "'stateMachine' must not be null");
  }

  @Override
  public Optional<WorkflowExecution> find(ApplicationReference applicationReference) {
    Objects.requireNonNull(applicationReference, "'applicationReference' must not be null");
    String executionArn = stateMachine.executionArn(applicationReference.value());
    DescribeExecutionResponse execution;
    try {
      execution = sfn.describeExecution(r -> r.executionArn(executionArn));
    } catch (ExecutionDoesNotExistException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw SfnErrors.unavailable("DescribeExecution", e);
    }
    List<HistoryEvent> history;
    try {
      history = history(executionArn);
    } catch (SdkException e) {
      throw SfnErrors.unavailable("GetExecutionHistory", e);
    }
    return Optional.of(
        new WorkflowExecution(
            applicationReference,
            status(execution),
            execution.startDate(),
            Optional.ofNullable(execution.stopDate()),
            Objects.requireNonNullElse(execution.input(), ""),
            Optional.ofNullable(Redaction.redactTokens(execution.output())),
            Optional.ofNullable(Redaction.redactTokens(execution.error())),
            Optional.ofNullable(Redaction.redactTokens(execution.cause())),
            history));
  }

  @Override
  public ExecutionPage list(
      Optional<ExecutionStatus> status, int pageSize, Optional<String> pageToken) {
    Objects.requireNonNull(status, "'status' must not be null");
    Objects.requireNonNull(pageToken, "'pageToken' must not be null");
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException("'pageSize' must be 1 to 100, was " + pageSize);
    }
    ListExecutionsResponse response;
    try {
      response =
          sfn.listExecutions(
              r ->
                  r.stateMachineArn(stateMachine.value())
                      .maxResults(pageSize)
                      .statusFilter(status.map(ExecutionStatus::name).orElse(null))
                      .nextToken(pageToken.orElse(null)));
    } catch (SdkException e) {
      throw SfnErrors.unavailable("ListExecutions", e);
    }
    List<WorkflowExecutionSummary> executions = new ArrayList<>();
    for (ExecutionListItem item : response.executions()) {
      try {
        executions.add(
            new WorkflowExecutionSummary(
                ApplicationReference.of(item.name()),
                status(item.statusAsString()),
                item.startDate(),
                Optional.ofNullable(item.stopDate())));
      } catch (InvalidValueException notAnApplication) {
        // an execution started by hand under another name: not a loan application
      }
    }
    return new ExecutionPage(executions, Optional.ofNullable(response.nextToken()));
  }

  @Override
  public String definition() {
    try {
      return Redaction.redactTokens(
          sfn.describeStateMachine(r -> r.stateMachineArn(stateMachine.value())).definition());
    } catch (SdkException e) {
      throw SfnErrors.unavailable("DescribeStateMachine", e);
    }
  }

  private List<HistoryEvent> history(String executionArn) {
    return sfn
        .getExecutionHistoryPaginator(
            r -> r.executionArn(executionArn).maxResults(PAGE_SIZE).reverseOrder(false))
        .events()
        .stream()
        .map(HistoryEvents::toDomain)
        .collect(Collectors.toList());
  }

  /** {@code PENDING_REDRIVE} counts as running: the failed execution is about to run again. */
  private static ExecutionStatus status(DescribeExecutionResponse execution) {
    return status(execution.statusAsString());
  }

  private static ExecutionStatus status(String status) {
    return switch (String.valueOf(status)) {
      case "RUNNING", "PENDING_REDRIVE" -> ExecutionStatus.RUNNING;
      case "SUCCEEDED" -> ExecutionStatus.SUCCEEDED;
      case "FAILED" -> ExecutionStatus.FAILED;
      case "TIMED_OUT" -> ExecutionStatus.TIMED_OUT;
      case "ABORTED" -> ExecutionStatus.ABORTED;
      default ->
          throw new IllegalStateException(
              "Step Functions reported execution status '"
                  + status
                  + "', which this adapter does not know");
    };
  }
}
