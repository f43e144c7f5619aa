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
    this.valuationTimeout = WorkflowInput.requireValidTimeout(valuationTimeout);
  }

  public StartOutcome submit(LoanApplication application) {
    return workflowStarter.start(
        new WorkflowInput(
            Objects.requireNonNull(application, "'application' must not be null"),
            valuationTimeout));
  }
}
