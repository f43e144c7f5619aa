package com.valuationflow.inmemory;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.port.WorkflowExecutions;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.util.Objects;
import java.util.Optional;

/** Looks up loan-processor executions of a {@link WorkflowEngine} by application reference. */
public final class InMemoryWorkflowExecutions implements WorkflowExecutions {

  private final WorkflowEngine engine;

  public InMemoryWorkflowExecutions(WorkflowEngine engine) {
    this.engine = Objects.requireNonNull(engine, "'engine' must not be null");
  }

  @Override
  public Optional<WorkflowExecution> find(ApplicationReference applicationReference) {
    Objects.requireNonNull(applicationReference, "'applicationReference' must not be null");
    return engine
        .describe(applicationReference.value())
        .map(
            execution ->
                new WorkflowExecution(
                    applicationReference,
                    execution.status(),
                    execution.startDate(),
                    execution.stopDate(),
                    execution.input(),
                    execution.output(),
                    execution.error(),
                    execution.cause(),
                    execution.history()));
  }
}
