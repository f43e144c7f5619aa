package com.valuationflow.inmemory.workflow;

import com.valuationflow.domain.model.ExecutionStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An execution as {@code ListExecutions} reports it: name, status and dates, at one moment. */
public record ExecutionSummary(
    String name, ExecutionStatus status, Instant startDate, Optional<Instant> stopDate) {

  public ExecutionSummary {
    Objects.requireNonNull(name, "'name' must not be null");
    Objects.requireNonNull(status, "'status' must not be null");
    Objects.requireNonNull(startDate, "'startDate' must not be null");
    Objects.requireNonNull(stopDate, "'stopDate' must not be null");
  }
}
