package com.valuationflow.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A loan application's workflow execution as a list shows it: reference, status and dates, without
 * input or history.
 */
public record WorkflowExecutionSummary(
    ApplicationReference applicationReference,
    ExecutionStatus status,
    Instant startDate,
    Optional<Instant> stopDate) {

  public WorkflowExecutionSummary {
    Objects.requireNonNull(applicationReference, "'applicationReference' must not be null");
    Objects.requireNonNull(status, "'status' must not be null");
    Objects.requireNonNull(startDate, "'startDate' must not be null");
    Objects.requireNonNull(stopDate, "'stopDate' must not be null");
  }
}
