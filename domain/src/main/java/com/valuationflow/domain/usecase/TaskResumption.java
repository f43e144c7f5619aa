package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import java.time.Clock;
import java.time.Duration;

/**
 * Resumes a parked task with its valuer's callback, and settles the parked token accordingly.
 * Shared by the two use cases, since either may be the one to see both reply and callback.
 *
 * <p>A resume call retried after a lost response sees {@code TASK_TIMED_OUT} although its first
 * attempt went through. Only the holder of the accepted callback resumes a task, so {@code
 * TASK_TIMED_OUT} well before the task's own timeout can only mean that: it counts as resumed,
 * never as a late callback.
 */
final class TaskResumption {

  /** How close to its expiry a task may really have timed out: the parked expiry is a bit late. */
  static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);

  private static final System.Logger LOG = System.getLogger(TaskResumption.class.getName());

  private final TaskTokenStore taskTokenStore;
  private final WorkflowResumer workflowResumer;
  private final Clock clock;

  TaskResumption(TaskTokenStore taskTokenStore, WorkflowResumer workflowResumer, Clock clock) {
    this.taskTokenStore = taskTokenStore;
    this.workflowResumer = workflowResumer;
    this.clock = clock;
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
    if (outcome == ResumeOutcome.TASK_TIMED_OUT
        && clock.instant().isBefore(task.expiresAt().minus(EXPIRY_MARGIN))) {
      LOG.log(
          System.Logger.Level.INFO,
          "Task under {0} no longer waits before its timeout: an earlier attempt resumed it",
          task.key());
      outcome = ResumeOutcome.RESUMED;
    }
    if (outcome == ResumeOutcome.RESUMED) {
      taskTokenStore.markResumed(task.key());
    } else {
      taskTokenStore.expire(task.key());
    }
    return outcome;
  }
}
