package com.valuationflow.inmemory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.CallHeldBackException;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.inmemory.workflow.EngineBusyException;
import com.valuationflow.inmemory.workflow.ExecutionSnapshot;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts the loan processor on a {@link WorkflowEngine}: one execution per application, named by
 * its reference, with {@link WorkflowInput#json()} as input. The engine, as Step Functions, refuses
 * a name already used unless its execution still runs with the same input; an execution that has
 * ended with the same input is {@code ALREADY_STARTED} all the same (a client's retry of a
 * submission whose workflow has since finished), only other input conflicts. An engine too busy to
 * start one ({@link EngineBusyException}) makes the start fail with {@link CallHeldBackException},
 * saying when to try again: nothing was started.
 */
public final class InMemoryWorkflowStarter implements WorkflowStarter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkflowEngine engine;

  public InMemoryWorkflowStarter(WorkflowEngine engine) {
    this.engine = Objects.requireNonNull(engine, "'engine' must not be null");
  }

  @Override
  public StartOutcome start(WorkflowInput input) {
    Objects.requireNonNull(input, "'input' must not be null");
    String name = input.application().applicationReference().value();
    StartOutcome outcome = startOnEngine(name, input);
    if (outcome != StartOutcome.CONFLICTS_WITH_EXISTING) {
      return outcome;
    }
    Optional<ExecutionSnapshot> existing = engine.describe(name);
    if (existing.isEmpty()) {
      // forgotten (retention) between the two calls: the name is free again
      return startOnEngine(name, input);
    }
    return sameJson(existing.get().input(), input.json())
        ? StartOutcome.ALREADY_STARTED
        : StartOutcome.CONFLICTS_WITH_EXISTING;
  }

  private StartOutcome startOnEngine(String name, WorkflowInput input) {
    try {
      return engine.start(name, input.json());
    } catch (EngineBusyException busy) {
      throw new CallHeldBackException(busy.getMessage(), busy, busy.retryAfter());
    }
  }

  private static boolean sameJson(String one, String other) {
    try {
      return JSON.readTree(one).equals(JSON.readTree(other));
    } catch (JsonProcessingException e) {
      return false;
    }
  }
}
