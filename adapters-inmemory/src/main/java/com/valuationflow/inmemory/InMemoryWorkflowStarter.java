package com.valuationflow.inmemory;

import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.CallHeldBackException;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.inmemory.workflow.EngineBusyException;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.util.Objects;

/**
 * Starts the loan processor on a {@link WorkflowEngine}: one execution per application, named by
 * its reference, with {@link WorkflowInput#json()} as input. An engine too busy to start one
 * ({@link EngineBusyException}) makes the start fail with {@link CallHeldBackException}, saying
 * when to try again: nothing was started.
 */
public final class InMemoryWorkflowStarter implements WorkflowStarter {

  private final WorkflowEngine engine;

  public InMemoryWorkflowStarter(WorkflowEngine engine) {
    this.engine = Objects.requireNonNull(engine, "'engine' must not be null");
  }

  @Override
  public StartOutcome start(WorkflowInput input) {
    Objects.requireNonNull(input, "'input' must not be null");
    try {
      return engine.start(input.application().applicationReference().value(), input.json());
    } catch (EngineBusyException busy) {
      throw new CallHeldBackException(busy.getMessage(), busy, busy.retryAfter());
    }
  }
}
