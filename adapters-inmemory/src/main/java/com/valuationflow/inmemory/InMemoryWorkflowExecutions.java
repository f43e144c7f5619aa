package com.valuationflow.inmemory;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.ExecutionPage;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.model.WorkflowExecutionSummary;
import com.valuationflow.domain.port.WorkflowExecutions;
import com.valuationflow.inmemory.workflow.ExecutionSummary;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks up loan-processor executions of a {@link WorkflowEngine} by application reference, and
 * lists them newest first. A page token is the name of the last execution of the page before.
 */
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

  @Override
  public ExecutionPage list(
      Optional<ExecutionStatus> status, int pageSize, Optional<String> pageToken) {
    Objects.requireNonNull(status, "'status' must not be null");
    Objects.requireNonNull(pageToken, "'pageToken' must not be null");
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException("'pageSize' must be 1 to 100, was " + pageSize);
    }
    List<ExecutionSummary> newestFirst = new ArrayList<>(engine.listExecutions());
    java.util.Collections.reverse(newestFirst);
    boolean started = pageToken.isEmpty();
    List<WorkflowExecutionSummary> page = new ArrayList<>();
    for (ExecutionSummary execution : newestFirst) {
      if (!started) {
        started = execution.name().equals(pageToken.get());
        continue;
      }
      if (status.isPresent() && execution.status() != status.get()) {
        continue;
      }
      Optional<ApplicationReference> reference = reference(execution.name());
      if (reference.isEmpty()) {
        continue;
      }
      if (page.size() == pageSize) {
        return new ExecutionPage(
            page, Optional.of(page.get(pageSize - 1).applicationReference().value()));
      }
      page.add(
          new WorkflowExecutionSummary(
              reference.get(), execution.status(), execution.startDate(), execution.stopDate()));
    }
    return new ExecutionPage(page, Optional.empty());
  }

  @Override
  public String definition() {
    return engine.definition().json();
  }

  private static Optional<ApplicationReference> reference(String executionName) {
    try {
      return Optional.of(ApplicationReference.of(executionName));
    } catch (InvalidValueException e) {
      return Optional.empty();
    }
  }
}
