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

  ResumeOutcome resume(ParkedTask task, ValuerCallback callback) {
    ResumeOutcome outcome;
    if (callback instanceof ValuationResult result) {
      outcome = workflowResumer.succeed(task.token(), result.toTaskOutput());
    } else {
      ValuationFailure failure = (ValuationFailure) callback;
      outcome =
          workflowResumer.fail(
              task.token(),
              TaskFailure.of(HandleValuationCallback.VALUATION_FAILED, failure.reason()));
    }
    if (outcome == ResumeOutcome.RESUMED) {
      taskTokenStore.markResumed(task.key());
    } else {
      taskTokenStore.expire(task.key());
    }
    return outcome;
  }
}
