package com.valuationflow.domain.port;

import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;

/**
 * Resumes a workflow that waits on a task token, as Step Functions' {@code SendTaskSuccess}, {@code
 * SendTaskFailure} and {@code SendTaskHeartbeat} do.
 */
public interface WorkflowResumer {

  /** Completes the waiting task with the output. */
  ResumeOutcome succeed(TaskToken token, TaskOutput output);

  /** Fails the waiting task; the workflow's {@code Retry} and {@code Catch} see the error. */
  ResumeOutcome fail(TaskToken token, TaskFailure failure);

  /** Tells the workflow the task is still in progress, resetting its heartbeat timeout. */
  ResumeOutcome heartbeat(TaskToken token);

  /** What became of a resume call. */
  enum ResumeOutcome {
    /** The task took the answer. */
    RESUMED,
    /**
     * The task no longer waits: it completed, timed out, or its execution ended. An adapter that
     * retries a call whose first answer was lost reports that first attempt's {@link #RESUMED}, not
     * this.
     */
    TASK_TIMED_OUT,
    /** The token was issued, but its execution no longer exists. */
    TASK_DOES_NOT_EXIST,
    /** The token is malformed, or no task was ever issued it. */
    INVALID_TOKEN
  }
}
