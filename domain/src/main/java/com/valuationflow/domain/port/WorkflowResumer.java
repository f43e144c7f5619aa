package com.valuationflow.domain.port;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.TaskAnswer;
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

  /**
   * How the task of this token, in the workflow of this application, closed: with this answer, or
   * otherwise. Asked after {@link ResumeOutcome#TASK_TIMED_OUT}, which is also what a send of ours
   * gets when an earlier attempt of it (or an earlier send whose result was never recorded) closed
   * the task; the workflow's execution tells which. Never guessed.
   *
   * @throws ServiceUnavailableException if the execution cannot be read now
   */
  TaskClosure closureOf(ApplicationReference application, TaskToken token, TaskAnswer answer);

  /** How a task that no longer waits closed. */
  enum TaskClosure {
    /** It succeeded with this output, or failed with this error and cause. */
    BY_THIS_ANSWER,
    /**
     * It closed otherwise (failed or timed out), but its execution still runs: the workflow may try
     * the state again, with a new token.
     */
    OTHERWISE_WHILE_EXECUTION_RUNS,
    /**
     * Any other way: it closed otherwise and its execution ended, or it was never found, or it
     * still waits.
     */
    OTHERWISE
  }

  /** What became of a resume call. */
  enum ResumeOutcome {
    /** The task took the answer. */
    RESUMED,
    /**
     * The task no longer waits: it completed, timed out, or its execution ended. A retried call
     * whose first attempt closed the task but whose answer was lost gets this too: {@link
     * #closureOf} tells the two apart.
     */
    TASK_TIMED_OUT,
    /** The token was issued, but its execution no longer exists. */
    TASK_DOES_NOT_EXIST,
    /** The token is malformed, or no task was ever issued it. */
    INVALID_TOKEN
  }
}
