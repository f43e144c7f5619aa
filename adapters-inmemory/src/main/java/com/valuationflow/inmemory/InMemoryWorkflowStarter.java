package com.valuationflow.inmemory;

import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.util.Objects;

/**
 * Starts the loan processor on a {@link WorkflowEngine}: one execution per application, named by
 * its reference, with {@link WorkflowInput#json()} as input.
 */
public final class InMemoryWorkflowStarter implements WorkflowStarter {

  private final WorkflowEngine engine;

  public InMemoryWorkflowStarter(WorkflowEngine engine) {
    this.engine = Objects.requireNonNull(engine, "'engine' must not be null");
  }

  @Override
  public StartOutcome start(WorkflowInput input) {
    Objects.requireNonNull(input, "'input' must not be null");
    return engine.start(input.application().applicationReference().value(), input.json());
  }
}
