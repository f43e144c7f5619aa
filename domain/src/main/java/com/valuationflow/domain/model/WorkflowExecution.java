package com.valuationflow.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known of the workflow execution that processes one loan application.
 *
 * @param input the execution's input, JSON
 * @param output the execution's output, JSON, once it succeeded
 * @param error the error name, once it failed or timed out
 * @param cause the error's cause, once it failed or timed out
 * @param history the events so far, oldest first
 */
public record WorkflowExecution(
    ApplicationReference applicationReference,
    ExecutionStatus status,
    Instant startDate,
    Optional<Instant> stopDate,
    String input,
    Optional<String> output,
    Optional<String> error,
    Optional<String> cause,
    List<HistoryEvent> history) {

  public WorkflowExecution {
    Objects.requireNonNull(applicationReference, "'applicationReference' must not be null");
    Objects.requireNonNull(status, "'status' must not be null");
    Objects.requireNonNull(startDate, "'startDate' must not be null");
    Objects.requireNonNull(stopDate, "'stopDate' must not be null");
    Objects.requireNonNull(input, "'input' must not be null");
    Objects.requireNonNull(output, "'output' must not be null");
    Objects.requireNonNull(error, "'error' must not be null");
    Objects.requireNonNull(cause, "'cause' must not be null");
    history = List.copyOf(Objects.requireNonNull(history, "'history' must not be null"));
  }
}
