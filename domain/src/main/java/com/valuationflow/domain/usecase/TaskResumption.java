package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;

/**
 * Resumes a parked task with its valuer's callback, and settles the parked token accordingly.
 * Shared by the two use cases, since either may be the one to see both reply and callback.
 */
final class TaskResumption {

  private final TaskTokenStore taskTokenStore;
  private final WorkflowResumer workflowResumer;

  TaskResumption(TaskTokenStore taskTokenStore, WorkflowResumer workflowResumer) {
    this.taskTokenStore = taskTokenStore;
    this.workflowResumer = workflowResumer;
  }

  /**
   * Resumes the task; if the resumer fails, the callback is let go again, so that the valuer's
   * retry of it is accepted afresh rather than taken for a duplicate in progress.
   */
  ResumeOutcome resume(ParkedTask task, ValuerCallback callback) {
    ResumeOutcome outcome;
    try {
      outcome = send(task, callback);
    } catch (RuntimeException e) {
      try {
        taskTokenStore.discardCallback(task.key(), callback);
      } catch (RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
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

  private ResumeOutcome send(ParkedTask task, ValuerCallback callback) {
    if (callback instanceof ValuationResult result) {
      return workflowResumer.succeed(task.token(), result.toTaskOutput());
    }
    ValuationFailure failure = (ValuationFailure) callback;
    return workflowResumer.fail(
        task.token(), TaskFailure.of(HandleValuationCallback.VALUATION_FAILED, failure.reason()));
  }
}
