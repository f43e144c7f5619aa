package com.valuationflow.inmemory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * a name already used unless its execution still runs with the same input; an execution of the same
 * application, ended or started with another valuation timeout, is {@code ALREADY_STARTED} all the
 * same (a client's retry of a submission whose workflow has since finished, or after the timeout
 * setting changed); only another application conflicts. An engine too busy to start one ({@link
 * EngineBusyException}) makes the start fail with {@link CallHeldBackException}, saying when to try
 * again: nothing was started.
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
    return sameApplication(existing.get().input(), input.json())
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

  /** The same JSON but for the valuation timeout. */
  private static boolean sameApplication(String one, String other) {
    try {
      return withoutTimeout(JSON.readTree(one)).equals(withoutTimeout(JSON.readTree(other)));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static JsonNode withoutTimeout(JsonNode input) {
    if (input instanceof ObjectNode object) {
      object.remove(
          WorkflowInput.VALUATION_TIMEOUT_FIELD); // a tree parsed for this comparison alone
    }
    return input;
  }
}
