package com.valuationflow.inmemory.workflow;

import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An execution as {@code DescribeExecution} and {@code GetExecutionHistory} report it, at one
 * moment.
 *
 * @param input the execution's input, compact JSON
 * @param output the output, once it succeeded
 * @param history the events so far, oldest first; task tokens are redacted from their details
 */
public record ExecutionSnapshot(
    String name,
    ExecutionStatus status,
    String input,
    Optional<String> output,
    Optional<String> error,
    Optional<String> cause,
    Instant startDate,
    Optional<Instant> stopDate,
    List<HistoryEvent> history) {

  public ExecutionSnapshot {
    Objects.requireNonNull(name, "'name' must not be null");
    Objects.requireNonNull(status, "'status' must not be null");
    Objects.requireNonNull(input, "'input' must not be null");
    Objects.requireNonNull(output, "'output' must not be null");
    Objects.requireNonNull(error, "'error' must not be null");
    Objects.requireNonNull(cause, "'cause' must not be null");
    Objects.requireNonNull(startDate, "'startDate' must not be null");
    Objects.requireNonNull(stopDate, "'stopDate' must not be null");
    history = List.copyOf(history);
  }

  /** The history event types in order, handy for assertions. */
  public List<String> eventTypes() {
    return history.stream().map(HistoryEvent::type).toList();
  }
}
