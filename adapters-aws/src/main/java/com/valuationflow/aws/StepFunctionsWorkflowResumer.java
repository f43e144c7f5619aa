package com.valuationflow.aws;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.TaskAnswer;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Resumes waiting tasks with Step Functions' {@code SendTaskSuccess}, {@code SendTaskFailure} and
 * {@code SendTaskHeartbeat}.
 *
 * <p>A send that gets {@code TaskTimedOut} answers {@link ResumeOutcome#TASK_TIMED_OUT}, even when
 * the SDK retried it after an attempt whose answer was lost: {@link #closureOf} tells from the
 * execution's history whether that attempt closed the task.
 *
 * <p>Throttling and server errors are retried by the client's retry strategy; what remains after
 * that is thrown as {@link WorkflowServiceUnavailableException}. No message or exception cause
 * carries the token.
 */
public final class StepFunctionsWorkflowResumer implements WorkflowResumer {

  private final SfnClient sfn;
  private final Optional<TaskClosures> closures;

  /**
   * @param stateMachine whose executions, named by application reference, {@link #closureOf} reads
   */
  public StepFunctionsWorkflowResumer(SfnClient sfn, StateMachineArn stateMachine) {
    this.sfn = Objects.requireNonNull(sfn, "'sfn' must not be null");
    this.closures = Optional.of(new TaskClosures(sfn, stateMachine));
  }

  /**
   * A resumer that knows no state machine, as the request-valuation function: {@link #closureOf}
   * cannot read the execution and throws {@link WorkflowServiceUnavailableException}, so that the
   * callback is let go and its retry, taken by the app, settles it.
   */
  public StepFunctionsWorkflowResumer(SfnClient sfn) {
    this.sfn = Objects.requireNonNull(sfn, "'sfn' must not be null");
    this.closures = Optional.empty();
  }

  /**
   * @throws IllegalArgumentException if Step Functions refuses the output as {@code InvalidOutput}
   *     (not JSON)
   */
  @Override
  public ResumeOutcome succeed(TaskToken token, TaskOutput output) {
    Objects.requireNonNull(token, "'token' must not be null");
    Objects.requireNonNull(output, "'output' must not be null");
    return resume(
        "SendTaskSuccess",
        token,
        () -> sfn.sendTaskSuccess(r -> r.taskToken(token.value()).output(output.json())));
  }

  @Override
  public ResumeOutcome fail(TaskToken token, TaskFailure failure) {
    Objects.requireNonNull(token, "'token' must not be null");
    Objects.requireNonNull(failure, "'failure' must not be null");
    return resume(
        "SendTaskFailure",
        token,
        () ->
            sfn.sendTaskFailure(
                r -> r.taskToken(token.value()).error(failure.error()).cause(failure.cause())));
  }

  @Override
  public ResumeOutcome heartbeat(TaskToken token) {
    Objects.requireNonNull(token, "'token' must not be null");
    return resume(
        "SendTaskHeartbeat", token, () -> sfn.sendTaskHeartbeat(r -> r.taskToken(token.value())));
  }

  /**
   * Read from the execution's history ({@code GetExecutionHistory}, every page as needed): the
   * task's {@code TaskSucceeded} output equal to this output, or its {@code TaskFailed} error and
   * cause equal to this failure's.
   *
   * @throws WorkflowServiceUnavailableException if the history cannot be read
   */
  @Override
  public TaskClosure closureOf(
      ApplicationReference application, TaskToken token, TaskAnswer answer) {
    Objects.requireNonNull(application, "'application' must not be null");
    Objects.requireNonNull(token, "'token' must not be null");
    Objects.requireNonNull(answer, "'answer' must not be null");
    return closures
        .orElseThrow(
            () ->
                new WorkflowServiceUnavailableException(
                    "No state machine to read the execution of " + application + " from", null))
        .closureOf(application, token, answer);
  }

  private static ResumeOutcome resume(String operation, TaskToken token, Runnable call) {
    try {
      call.run();
      return ResumeOutcome.RESUMED;
    } catch (TaskTimedOutException e) {
      return ResumeOutcome.TASK_TIMED_OUT;
    } catch (TaskDoesNotExistException e) {
      return ResumeOutcome.TASK_DOES_NOT_EXIST;
    } catch (InvalidTokenException e) {
      return ResumeOutcome.INVALID_TOKEN;
    } catch (InvalidOutputException e) {
      throw new IllegalArgumentException(
          "Step Functions refused the output for "
              + token
              + " as InvalidOutput: "
              + SfnErrors.serviceMessage(e, token));
    } catch (SdkException e) {
      throw SfnErrors.unavailable(operation, e, token);
    }
  }
}
