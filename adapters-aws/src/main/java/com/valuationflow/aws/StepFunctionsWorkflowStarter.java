package com.valuationflow.aws;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.WorkflowStarter;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * Starts the loan processor with Step Functions' {@code StartExecution}: the application reference
 * names the execution and the application is its input.
 *
 * <p>{@code StartExecution} answers a repeated call for an open execution with the same input
 * exactly as it answered the first, so its response cannot tell {@code STARTED} from {@code
 * ALREADY_STARTED}. This adapter first records the submission in {@link DynamoDbSubmissions} (one
 * conditional write; the execution is not read on the way) and then always calls {@code
 * StartExecution}, which is idempotent: a success is {@code STARTED} if the record was this call's,
 * {@code ALREADY_STARTED} if the application was recorded before. The service decides conflicts:
 * {@code ExecutionAlreadyExists} means other input, or an execution that has closed. Only then is
 * the execution read ({@code DescribeExecution}): the same application, the valuation timeout
 * aside, is {@code ALREADY_STARTED} (a client's retry of a submission whose workflow has since
 * finished, or after the timeout setting changed); another is {@code CONFLICTS_WITH_EXISTING}.
 *
 * <p>If {@code StartExecution} fails after this call recorded the submission, the record is
 * withdrawn (best effort) before the failure is thrown, so that the retry counts as the first (also
 * when the failed call's start went through and only its answer was lost: the caller saw no start).
 * A process that dies between the record and the start, or a withdrawal that fails, leaves the
 * record without an execution: the next submission of the application starts the execution and is
 * answered {@code ALREADY_STARTED}, though no earlier call started it. No submission is lost that
 * way, only the flag is wrong. The contract holds exactly for calls one after another; of callers
 * racing for the same application there is still only one execution, but the flag may go to the
 * other one.
 */
public final class StepFunctionsWorkflowStarter implements WorkflowStarter {

  private final SfnClient sfn;
  private final StateMachineArn stateMachine;
  private final DynamoDbSubmissions submissions;

  public StepFunctionsWorkflowStarter(
      SfnClient sfn, StateMachineArn stateMachine, DynamoDbSubmissions submissions) {
    this.sfn = Objects.requireNonNull(sfn, "'sfn' must not be null");
    this.stateMachine = Objects.requireNonNull(stateMachine, "'stateMachine' must not be null");
    this.submissions = Objects.requireNonNull(submissions, "'submissions' must not be null");
  }

  /**
   * @throws TaskTokenStoreUnavailableException if the submission could not be recorded (nothing was
   *     started)
   * @throws WorkflowServiceUnavailableException if {@code StartExecution} failed, or after its
   *     refusal {@code DescribeExecution} did (or found no execution: the name was freed between
   *     the two calls, and a retry starts it)
   */
  @Override
  public StartOutcome start(WorkflowInput input) {
    Objects.requireNonNull(input, "'input' must not be null");
    ApplicationReference application = input.application().applicationReference();
    Optional<DynamoDbSubmissions.Recorded> first = submissions.recordFirst(application);
    try {
      sfn.startExecution(
          r ->
              r.stateMachineArn(stateMachine.value())
                  .name(application.value())
                  .input(input.json()));
      return first.isPresent() ? StartOutcome.STARTED : StartOutcome.ALREADY_STARTED;
    } catch (ExecutionAlreadyExistsException e) {
      return existingIsTheSameApplication(input)
          ? StartOutcome.ALREADY_STARTED
          : StartOutcome.CONFLICTS_WITH_EXISTING;
    } catch (SdkException e) {
      first.ifPresent(submissions::withdraw);
      throw SfnErrors.unavailable("StartExecution", e);
    }
  }

  /**
   * After {@code ExecutionAlreadyExists}: whether the execution under the name is of this
   * application (it has closed, or was started with another valuation timeout: the setting changed
   * since). The inputs are compared as JSON, the timeout left out. The record of the submission, if
   * this call wrote it, stays: the answer does not depend on it.
   */
  private boolean existingIsTheSameApplication(WorkflowInput input) {
    String executionArn =
        stateMachine.executionArn(input.application().applicationReference().value());
    try {
      DescribeExecutionResponse execution =
          sfn.describeExecution(r -> r.executionArn(executionArn));
      Optional<Map<String, JsonNode>> ours = withoutTimeout(input.json());
      return ours.isPresent() && ours.equals(withoutTimeout(execution.input()));
    } catch (SdkException e) {
      throw SfnErrors.unavailable("DescribeExecution", e);
    }
  }

  private static Optional<Map<String, JsonNode>> withoutTimeout(String json) {
    try {
      JsonNode node = JsonNode.parser().parse(json);
      if (!node.isObject()) {
        return Optional.empty();
      }
      Map<String, JsonNode> fields = new HashMap<>(node.asObject());
      fields.remove(WorkflowInput.VALUATION_TIMEOUT_FIELD);
      return Optional.of(fields);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
