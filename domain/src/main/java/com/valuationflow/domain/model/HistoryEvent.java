package com.valuationflow.domain.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event of an execution's history, named as Step Functions names them ({@code
 * ExecutionStarted}, {@code TaskStateEntered}, {@code TaskSubmitted}, {@code TaskSucceeded}, ...).
 *
 * @param previousEventId the event this one follows from, 0 for the first
 * @param details the event's own fields, such as {@code name}, {@code error} or {@code cause};
 *     never a task token
 */
public record HistoryEvent(
    long id, long previousEventId, Instant timestamp, String type, Map<String, String> details) {

  public HistoryEvent {
    if (id < 1) {
      throw new InvalidValueException("id", "'id' must be positive, was " + id);
    }
    Objects.requireNonNull(timestamp, "'timestamp' must not be null");
    Validation.requireText(type, "type", 100);
    details = Map.copyOf(Objects.requireNonNull(details, "'details' must not be null"));
  }
}
