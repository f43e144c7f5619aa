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

  private static final System.Logger LOG = System.getLogger(SubmitLoanApplication.class.getName());

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
    StartOutcome outcome =
        workflowStarter.start(
            new WorkflowInput(
                Objects.requireNonNull(application, "'application' must not be null"),
                valuationTimeout));
    LOG.log(
        outcome == StartOutcome.STARTED ? System.Logger.Level.INFO : System.Logger.Level.DEBUG,
        "Application {0} submitted: {1}",
        application.applicationReference(),
        outcome);
    return outcome;
  }
}
