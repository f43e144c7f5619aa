package com.valuationflow.aws;

import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * <p>Throttling and server errors are retried by the client's retry strategy; what remains after
 * that is thrown as {@link WorkflowServiceUnavailableException}. No message or exception cause
 * carries the token.
 */
public final class StepFunctionsWorkflowResumer implements WorkflowResumer {

  private static final Pattern STATUS_CODE = Pattern.compile("Status Code: (\\d{3})");

  private final SfnClient sfn;

  public StepFunctionsWorkflowResumer(SfnClient sfn) {
    this.sfn = Objects.requireNonNull(sfn, "'sfn' must not be null");
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

  private static ResumeOutcome resume(String operation, TaskToken token, Runnable call) {
    try {
      call.run();
      return ResumeOutcome.RESUMED;
    } catch (TaskTimedOutException e) {
      return earlierAttemptMayHaveGoneThrough(e)
          ? ResumeOutcome.RESUMED
          : ResumeOutcome.TASK_TIMED_OUT;
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

  /**
   * Whether an earlier attempt of this call, retried by the SDK, may have been carried out though
   * its answer was lost (a timeout, a broken connection, a 5xx). If so, {@code TaskTimedOut} on the
   * retry means that attempt closed the task: this call resumed it. A throttled or refused (4xx)
   * attempt was not carried out. The SDK keeps earlier attempts only as suppressed exceptions whose
   * message ends "(Service: ..., Status Code: N, ...)" when the service answered.
   */
  static boolean earlierAttemptMayHaveGoneThrough(SdkException lastAttempt) {
    for (Throwable earlier : lastAttempt.getSuppressed()) {
      Matcher status = STATUS_CODE.matcher(String.valueOf(earlier.getMessage()));
      if (!status.find() || Integer.parseInt(status.group(1)) >= 500) {
        return true;
      }
    }
    return false;
  }
}
