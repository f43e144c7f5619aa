package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskAnswer;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;

/**
 * Resumes a parked task with its valuer's callback, and settles the parked token accordingly.
 * Shared by the use cases, since any of them may be the one to see both reply and callback, or find
 * a callback stranded.
 */
final class TaskResumption {

  private final TaskTokenStore taskTokenStore;
  private final WorkflowResumer workflowResumer;

  TaskResumption(TaskTokenStore taskTokenStore, WorkflowResumer workflowResumer) {
    this.taskTokenStore = taskTokenStore;
    this.workflowResumer = workflowResumer;
  }

  /** What became of a resume. */
  enum Resumption {
    /** The task took the callback's answer (now, or by an earlier send whose answer was lost). */
    RESUMED,
    /**
     * The task's attempt no longer waits, but its execution goes on and may try the state again:
     * the callback stays accepted, for the next attempt to resume with.
     */
    HELD_FOR_NEXT_ATTEMPT,
    /** The task no longer waits, nor will it: the parked task is expired. */
    NO_LONGER_AWAITED
  }

  /**
   * Resumes the task. A task that no longer waits counts as resumed if it closed with this
   * callback's answer: an earlier send of ours went through though its answer was lost, or its
   * result was never recorded. One that closed otherwise while its execution runs on keeps the
   * callback for its next attempt, which parks a new token under the same key. If the resumer
   * fails, or cannot tell how the task closed, the callback is let go again, so that the valuer's
   * retry of it is accepted afresh rather than taken for a duplicate in progress.
   */
  Resumption resume(ParkedTask task, ValuerCallback callback) {
    return resume(task, callback, true);
  }

  /**
   * As {@link #resume}, for a callback whose valuer was answered long ago and will not call again:
   * if the resumer fails, the callback stays accepted, so that it is found stranded and tried
   * again.
   */
  Resumption resumeStranded(ParkedTask task, ValuerCallback callback) {
    return resume(task, callback, false);
  }

  private Resumption resume(ParkedTask task, ValuerCallback callback, boolean letGoOnFailure) {
    Resumption resumption;
    try {
      ResumeOutcome sent = send(task, callback);
      resumption =
          sent == ResumeOutcome.RESUMED
              ? Resumption.RESUMED
              : sent == ResumeOutcome.TASK_TIMED_OUT
                  ? afterTheTaskClosed(task, callback)
                  : Resumption.NO_LONGER_AWAITED;
    } catch (RuntimeException e) {
      if (letGoOnFailure) {
        try {
          taskTokenStore.discardCallback(task.key(), callback);
        } catch (RuntimeException alsoFailed) {
          e.addSuppressed(alsoFailed);
        }
      }
      throw e;
    }
    if (resumption == Resumption.RESUMED) {
      taskTokenStore.markResumed(task.key(), task.token());
    } else if (resumption == Resumption.NO_LONGER_AWAITED) {
      taskTokenStore.expire(task.key(), task.token());
    }
    return resumption;
  }

  private Resumption afterTheTaskClosed(ParkedTask task, ValuerCallback callback) {
    return switch (workflowResumer.closureOf(
        task.applicationReference(), task.token(), answer(callback))) {
      case BY_THIS_ANSWER -> Resumption.RESUMED;
      case OTHERWISE_WHILE_EXECUTION_RUNS -> Resumption.HELD_FOR_NEXT_ATTEMPT;
      case OTHERWISE -> Resumption.NO_LONGER_AWAITED;
    };
  }

  private ResumeOutcome send(ParkedTask task, ValuerCallback callback) {
    TaskAnswer answer = answer(callback);
    if (answer instanceof TaskOutput output) {
      return workflowResumer.succeed(task.token(), output);
    }
    return workflowResumer.fail(task.token(), (TaskFailure) answer);
  }

  private static TaskAnswer answer(ValuerCallback callback) {
    if (callback instanceof ValuationResult result) {
      return result.toTaskOutput();
    }
    ValuationFailure failure = (ValuationFailure) callback;
    return TaskFailure.of(HandleValuationCallback.VALUATION_FAILED, failure.reason());
  }
}
