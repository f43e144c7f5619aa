package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import java.util.Objects;

/**
 * Starts processing a loan application. Submitting the same application again is harmless;
 * submitting different content under a reference already in use is refused.
 */
public final class SubmitLoanApplication {

  private final WorkflowStarter workflowStarter;

  public SubmitLoanApplication(WorkflowStarter workflowStarter) {
    this.workflowStarter =
        Objects.requireNonNull(workflowStarter, "'workflowStarter' must not be null");
  }

  public StartOutcome submit(LoanApplication application) {
    return workflowStarter.start(
        Objects.requireNonNull(application, "'application' must not be null"));
  }
}
