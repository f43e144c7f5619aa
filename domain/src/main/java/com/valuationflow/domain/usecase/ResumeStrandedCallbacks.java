package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.WorkflowResumer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Resumes the tasks whose callback was accepted but never applied: the process that accepted it
 * died between accepting and resuming, or its resume failed after the valuer had been answered. The
 * valuer is not needed again; its accepted callback is resumed with, exactly as the webhook would
 * have.
 *
 * <p>Safe to run at any time, on any number of instances at once, and alongside live callbacks: the
 * workflow takes a task's answer once (a second send is refused as {@code TaskTimedOut}, and the
 * execution then tells whether it closed with this very answer, which counts as resumed), and the
 * store's conditional writes settle the record. A callback is stranded only once it has been
 * accepted for a while ({@code strandedAfter}), so that callbacks being applied right now are left
 * to their webhook.
 */
public final class ResumeStrandedCallbacks {

  /** How many stranded callbacks are fetched at once. */
  static final int BATCH = 100;

  /** How many batches one run goes through at most; a later run picks up the rest. */
  static final int MAX_BATCHES = 100;

  private static final System.Logger LOG =
      System.getLogger(ResumeStrandedCallbacks.class.getName());

  private final TaskTokenStore taskTokenStore;
  private final TaskResumption resumption;
  private final Clock clock;
  private final Duration strandedAfter;

  /**
   * @param strandedAfter how long after it was accepted an unapplied callback counts as stranded;
   *     {@link HandleValuationCallback#STUCK_AFTER} is the natural choice
   */
  public ResumeStrandedCallbacks(
      TaskTokenStore taskTokenStore,
      WorkflowResumer workflowResumer,
      Clock clock,
      Duration strandedAfter) {
    this.taskTokenStore =
        Objects.requireNonNull(taskTokenStore, "'taskTokenStore' must not be null");
    this.resumption =
        new TaskResumption(
            taskTokenStore,
            Objects.requireNonNull(workflowResumer, "'workflowResumer' must not be null"));
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    this.strandedAfter = Objects.requireNonNull(strandedAfter, "'strandedAfter' must not be null");
    if (strandedAfter.isNegative()) {
      throw new IllegalArgumentException(
          "'strandedAfter' must not be negative, was " + strandedAfter);
    }
  }

  /**
   * Resumes every callback stranded now, each at most once in this run; one that fails stays
   * stranded for the next run. Logs one line per task it settles.
   *
   * @throws RuntimeException if the store cannot be searched; tasks settled before stay settled
   */
  public Run resumeAll() {
    Set<CorrelationKey> seen = new HashSet<>();
    int resumed = 0;
    int late = 0;
    int failed = 0;
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      List<ParkedTask> stranded =
          taskTokenStore.strandedCallbacks(clock.instant().minus(strandedAfter), BATCH);
      int fresh = 0;
      for (ParkedTask task : stranded) {
        if (!seen.add(task.key())) {
          continue;
        }
        fresh++;
        switch (resume(task)) {
          case RESUMED -> resumed++;
          case LATE -> late++;
          case FAILED -> failed++;
        }
      }
      if (stranded.size() < BATCH || fresh == 0) {
        break;
      }
    }
    return new Run(resumed, late, failed);
  }

  private Settled resume(ParkedTask task) {
    ValuerCallback callback = task.callbackToResumeWith().orElseThrow();
    try {
      TaskResumption.Resumption resumed = resumption.resumeStranded(task, callback);
      Settled settled =
          switch (resumed) {
            case RESUMED -> Settled.RESUMED;
            case NO_LONGER_AWAITED -> Settled.LATE;
            // its next attempt parks under the key and takes it; until then it stays stranded
            case HELD_FOR_NEXT_ATTEMPT -> Settled.FAILED;
          };
      LOG.log(
          System.Logger.Level.WARNING,
          "Application {0}: the callback for valuation {1}, accepted at {2} but never applied: {3}",
          task.applicationReference(),
          callback.valuationReference(),
          task.acceptedAt().map(Object::toString).orElse("?"),
          switch (resumed) {
            case RESUMED -> "applied now";
            case NO_LONGER_AWAITED -> "the task no longer waits";
            case HELD_FOR_NEXT_ATTEMPT -> "held for the workflow's next attempt";
          });
      return settled;
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Application {0}: the stranded callback could not be applied yet ({1}); the next run"
              + " tries again",
          task.applicationReference(),
          e.getClass().getSimpleName());
      return Settled.FAILED;
    }
  }

  private enum Settled {
    RESUMED,
    LATE,
    FAILED
  }

  /**
   * What one run did.
   *
   * @param resumed tasks resumed with their stranded callback, by this run or (as the workflow
   *     showed) by an earlier send whose outcome was never recorded
   * @param late tasks that no longer waited (timed out, or closed otherwise): recorded so
   * @param failed tasks whose resume failed, or whose attempt closed while the workflow goes on to
   *     try again; they stay stranded for the next run
   */
  public record Run(int resumed, int late, int failed) {

    public int settled() {
      return resumed + late;
    }
  }
}
