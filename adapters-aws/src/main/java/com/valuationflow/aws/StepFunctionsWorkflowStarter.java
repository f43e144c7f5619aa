package com.valuationflow.aws;

import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.WorkflowStarter;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.IncludedData;

/**
 * Starts the loan processor with Step Functions' {@code StartExecution}: the application reference
 * names the execution and the application is its input.
 *
 * <p>{@code StartExecution} answers a repeated call for an open execution with the same input
 * exactly as it answered the first, so its response cannot tell {@code STARTED} from {@code
 * ALREADY_STARTED}. This adapter asks {@code DescribeExecution} first: an execution that existed
 * before the call makes a success {@code ALREADY_STARTED}. The service alone decides conflicts:
 * {@code ExecutionAlreadyExists} (other input, or the execution has closed) is {@code
 * CONFLICTS_WITH_EXISTING}. Two callers racing for a new application may both see {@code STARTED};
 * there is still only one execution.
 */
public final class StepFunctionsWorkflowStarter implements WorkflowStarter {

  private final SfnClient sfn;
  private final StateMachineArn stateMachine;

  public StepFunctionsWorkflowStarter(SfnClient sfn, StateMachineArn stateMachine) {
    this.sfn = Objects.requireNonNull(sfn, "'sfn' must not be null");
    this.stateMachine = Objects.requireNonNull(stateMachine, "'stateMachine' must not be null");
  }

  @Override
  public StartOutcome start(WorkflowInput input) {
    Objects.requireNonNull(input, "'input' must not be null");
    String name = input.application().applicationReference().value();
    boolean existed = exists(stateMachine.executionArn(name));
    try {
      sfn.startExecution(
          r -> r.stateMachineArn(stateMachine.value()).name(name).input(input.json()));
      return existed ? StartOutcome.ALREADY_STARTED : StartOutcome.STARTED;
    } catch (ExecutionAlreadyExistsException e) {
      return StartOutcome.CONFLICTS_WITH_EXISTING;
    } catch (SdkException e) {
      throw SfnErrors.unavailable("StartExecution", e);
    }
  }

  private boolean exists(String executionArn) {
    try {
      sfn.describeExecution(
          r -> r.executionArn(executionArn).includedData(IncludedData.METADATA_ONLY));
      return true;
    } catch (ExecutionDoesNotExistException e) {
      return false;
    } catch (SdkException e) {
      throw SfnErrors.unavailable("DescribeExecution", e);
    }
  }
}
