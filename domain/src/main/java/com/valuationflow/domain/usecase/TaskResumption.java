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
import com.valuationflow.domain.port.WorkflowResumer.TaskClosure;

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

  /**
   * Resumes the task. A task that no longer waits counts as resumed if it closed with this
   * callback's answer: an earlier send of ours went through though its answer was lost, or its
   * result was never recorded. If the resumer fails, or cannot tell how the task closed, the
   * callback is let go again, so that the valuer's retry of it is accepted afresh rather than taken
   * for a duplicate in progress.
   */
  ResumeOutcome resume(ParkedTask task, ValuerCallback callback) {
    return resume(task, callback, true);
  }

  /**
   * As {@link #resume}, for a callback whose valuer was answered long ago and will not call again:
   * if the resumer fails, the callback stays accepted, so that it is found stranded and tried
   * again.
   */
  ResumeOutcome resumeStranded(ParkedTask task, ValuerCallback callback) {
    return resume(task, callback, false);
  }

  private ResumeOutcome resume(ParkedTask task, ValuerCallback callback, boolean letGoOnFailure) {
    ResumeOutcome outcome;
    try {
      outcome = send(task, callback);
      if (outcome == ResumeOutcome.TASK_TIMED_OUT && closedByThis(task, callback)) {
        outcome = ResumeOutcome.RESUMED;
      }
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
    if (outcome == ResumeOutcome.RESUMED) {
      taskTokenStore.markResumed(task.key());
    } else {
      taskTokenStore.expire(task.key());
    }
    return outcome;
  }

  private boolean closedByThis(ParkedTask task, ValuerCallback callback) {
    return workflowResumer.closureOf(task.applicationReference(), task.token(), answer(callback))
        == TaskClosure.BY_THIS_ANSWER;
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
