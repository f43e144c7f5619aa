package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.TaskTokenStore.CallbackResult;
import com.valuationflow.domain.port.WorkflowResumer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The valuer's callback: resumes the task parked under the correlation key with the valuation as
 * the task's output, or fails it with {@value #VALUATION_FAILED} if the valuer reports a failure.
 *
 * <p>Valuers deliver at least once, early and late: a repeated callback resumes nothing twice, a
 * callback before the valuer's reply is held until the reply, and one after the task stopped
 * waiting is refused as late.
 */
public final class HandleValuationCallback {

  /** Error name the task fails with when the valuer reports a failed valuation. */
  public static final String VALUATION_FAILED = "ValuationFailed";

  /** How long an accepted callback may be in progress before a repeat of it resumes the task. */
  public static final Duration STUCK_AFTER = Duration.ofSeconds(30);

  private static final System.Logger LOG =
      System.getLogger(HandleValuationCallback.class.getName());

  private final TaskTokenStore taskTokenStore;
  private final TaskResumption resumption;
  private final Clock clock;

  /**
   * @param clock tells how long an accepted callback has been in progress
   */
  public HandleValuationCallback(
      TaskTokenStore taskTokenStore, WorkflowResumer workflowResumer, Clock clock) {
    this.taskTokenStore =
        Objects.requireNonNull(taskTokenStore, "'taskTokenStore' must not be null");
    this.resumption =
        new TaskResumption(
            taskTokenStore,
            Objects.requireNonNull(workflowResumer, "'workflowResumer' must not be null"));
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
  }

  public Outcome handle(CorrelationKey key, ValuerCallback callback) {
    Objects.requireNonNull(key, "'key' must not be null");
    Objects.requireNonNull(callback, "'callback' must not be null");
    CallbackResult accepted = taskTokenStore.acceptCallback(key, callback);
    Outcome outcome =
        switch (accepted.outcome()) {
          case ACCEPTED -> resume(accepted.task().orElseThrow(), callback);
          case DUPLICATE_OF_RESUMED -> Outcome.DUPLICATE;
          case DUPLICATE_IN_PROGRESS -> resumeIfStuck(accepted.task().orElseThrow());
          case CONFLICTS_WITH_ACCEPTED -> Outcome.CONFLICT;
          case LATE -> Outcome.LATE;
          case UNKNOWN -> Outcome.UNKNOWN;
        };
    ApplicationReference application =
        accepted.task().map(ParkedTask::applicationReference).orElse(null);
    if (outcome == Outcome.RESUMED) {
      LOG.log(
          System.Logger.Level.INFO,
          "Application {0} resumed with {1} valuation {2}",
          application,
          callback instanceof ValuationFailure ? "failed" : "its",
          callback.valuationReference());
    } else {
      LOG.log(
          System.Logger.Level.DEBUG,
          "Callback for valuation {1} (application {0}): {2}",
          application == null ? "unknown" : application,
          callback.valuationReference(),
          outcome);
    }
    return outcome;
  }

  /**
   * A callback accepted long ago whose task is still not resumed was stranded: its resume failed or
   * its process died. The valuer's retry of it resumes the task now.
   */
  private Outcome resumeIfStuck(ParkedTask task) {
    Optional<ValuerCallback> callback = task.callbackToResumeWith();
    boolean stuck =
        task.acceptedAt()
            .map(accepted -> accepted.isBefore(clock.instant().minus(STUCK_AFTER)))
            .orElse(false);
    if (callback.isEmpty() || !stuck) {
      return Outcome.DUPLICATE_IN_PROGRESS;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "Callback for application {0} was accepted at {1} but never applied; applying it now",
        task.applicationReference(),
        task.acceptedAt().orElseThrow());
    return resume(task, callback.get());
  }

  private Outcome resume(ParkedTask task, ValuerCallback callback) {
    if (task.valuationReference().isEmpty()) {
      return Outcome.HELD_UNTIL_REPLY;
    }
    return switch (resumption.resume(task, callback)) {
      case RESUMED -> Outcome.RESUMED;
      case HELD_FOR_NEXT_ATTEMPT -> Outcome.HELD_UNTIL_REPLY;
      case NO_LONGER_AWAITED -> Outcome.LATE;
    };
  }

  /** What the callback came to. */
  public enum Outcome {
    /** The waiting workflow resumed with this callback. */
    RESUMED,
    /**
     * The callback came before the valuer's reply to our request, or while the workflow was about
     * to ask again (its attempt failed and will be retried); it is held and applied when the reply
     * arrives, provided the reply names the same reference.
     */
    HELD_UNTIL_REPLY,
    /** The same callback came before and resumed the workflow; nothing more was done. */
    DUPLICATE,
    /** The same callback came before and is still being applied; nothing more was done. */
    DUPLICATE_IN_PROGRESS,
    /** A different callback for the same valuation came before; this one is refused. */
    CONFLICT,
    /** The workflow no longer waits for this valuation: it timed out or failed. */
    LATE,
    /** No workflow waits for a valuation under this key and reference. */
    UNKNOWN
  }
}
