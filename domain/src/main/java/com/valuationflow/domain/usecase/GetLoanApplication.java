package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.port.WorkflowExecutions;
import java.util.Objects;
import java.util.Optional;

/** Reports how a loan application's processing stands: status, output and history. */
public final class GetLoanApplication {

  private final WorkflowExecutions workflowExecutions;

  public GetLoanApplication(WorkflowExecutions workflowExecutions) {
    this.workflowExecutions =
        Objects.requireNonNull(workflowExecutions, "'workflowExecutions' must not be null");
  }

  public Optional<WorkflowExecution> get(ApplicationReference applicationReference) {
    return workflowExecutions.find(
        Objects.requireNonNull(applicationReference, "'applicationReference' must not be null"));
  }
}
