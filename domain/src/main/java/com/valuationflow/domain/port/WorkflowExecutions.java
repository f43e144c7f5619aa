package com.valuationflow.domain.port;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.WorkflowExecution;
import java.util.Optional;

/** Looks up the workflow execution of a loan application: status, output and history. */
public interface WorkflowExecutions {

  Optional<WorkflowExecution> find(ApplicationReference applicationReference);
}
