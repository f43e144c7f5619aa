package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import java.time.Duration;
import java.util.Objects;

/**
 * Starts processing a loan application. Submitting the same application again is harmless;
 * submitting different content under a reference already in use is refused.
 */
public final class SubmitLoanApplication {

  private final WorkflowStarter workflowStarter;
  private final Duration valuationTimeout;

  /**
   * @param valuationTimeout how long an application waits for its valuation, in whole seconds
   */
  public SubmitLoanApplication(WorkflowStarter workflowStarter, Duration valuationTimeout) {
    this.workflowStarter =
        Objects.requireNonNull(workflowStarter, "'workflowStarter' must not be null");
    this.valuationTimeout =
        Objects.requireNonNull(valuationTimeout, "'valuationTimeout' must not be null");
    if (valuationTimeout.toSeconds() < 1 || valuationTimeout.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          "'valuationTimeout' must be a positive whole number of seconds, was " + valuationTimeout);
    }
  }

  public StartOutcome submit(LoanApplication application) {
    return workflowStarter.start(
        new WorkflowInput(
            Objects.requireNonNull(application, "'application' must not be null"),
            valuationTimeout));
  }
}
