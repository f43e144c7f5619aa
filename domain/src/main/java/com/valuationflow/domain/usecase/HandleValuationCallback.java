package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import java.util.Objects;
import java.util.Optional;

/**
 * The valuer's callback: finds the task token parked under the valuation reference and resumes the
 * waiting workflow with the valuation as the task's output.
 */
public final class HandleValuationCallback {

  private static final System.Logger LOG =
      System.getLogger(HandleValuationCallback.class.getName());

  private final TaskTokenStore taskTokenStore;
  private final WorkflowResumer workflowResumer;

  public HandleValuationCallback(TaskTokenStore taskTokenStore, WorkflowResumer workflowResumer) {
    this.taskTokenStore =
        Objects.requireNonNull(taskTokenStore, "'taskTokenStore' must not be null");
    this.workflowResumer =
        Objects.requireNonNull(workflowResumer, "'workflowResumer' must not be null");
  }

  public Result handle(ValuationResult valuation) {
    Objects.requireNonNull(valuation, "'valuation' must not be null");
    Optional<ParkedTask> parked =
        taskTokenStore.take(CorrelationKey.of(valuation.valuationReference()));
    if (parked.isEmpty()) {
      LOG.log(
          System.Logger.Level.INFO,
          "Callback for unknown valuation reference {0}",
          valuation.valuationReference());
      return new UnknownReference(valuation.valuationReference());
    }
    ParkedTask task = parked.get();
    ResumeOutcome outcome = workflowResumer.succeed(task.token(), valuation.toTaskOutput());
    if (outcome == ResumeOutcome.RESUMED) {
      return new Resumed(task.applicationReference());
    }
    LOG.log(
        System.Logger.Level.INFO,
        "Callback for valuation {0} of application {1} did not resume the workflow: {2}",
        valuation.valuationReference(),
        task.applicationReference(),
        outcome);
    return new TaskNoLongerWaiting(task.applicationReference(), outcome);
  }

  /** What the callback came to. */
  public sealed interface Result {}

  /** The workflow of the application resumed with the valuation. */
  public record Resumed(ApplicationReference applicationReference) implements Result {}

  /** No task waits under that reference: it was never issued, already used, or expired. */
  public record UnknownReference(ValuationReference valuationReference) implements Result {}

  /** A token was parked, but the workflow no longer accepted it. */
  public record TaskNoLongerWaiting(
      ApplicationReference applicationReference, ResumeOutcome outcome) implements Result {}
}
