package com.valuationflow.domain.model;

import java.time.Duration;
import java.util.Objects;

/**
 * The loan processor's execution input: the application, and how long it may wait for its
 * valuation. {@link #json()} is the document every workflow adapter starts the execution with:
 * {@code {"applicationReference":"app-ref","property":{"nameOrNumber":"999","postcode":"PO1
 * 1CE"},"valuationTimeoutSeconds":3600}} — always the same text for the same input, since Step
 * Functions compares inputs to tell a repeated start from a conflicting one.
 *
 * @param valuationTimeout a positive whole number of seconds
 */
public record WorkflowInput(LoanApplication application, Duration valuationTimeout) {

  /** The input field that carries the valuation timeout, in whole seconds. */
  public static final String VALUATION_TIMEOUT_FIELD = "valuationTimeoutSeconds";

  /** The longest a task may wait: one year, the longest a Standard workflow may run. */
  public static final Duration MAX_VALUATION_TIMEOUT = Duration.ofDays(365);

  public WorkflowInput {
    Objects.requireNonNull(application, "'application' must not be null");
    Objects.requireNonNull(valuationTimeout, "'valuationTimeout' must not be null");
    requireValidTimeout(valuationTimeout);
  }

  /** Checks a valuation timeout: a whole number of seconds, from one second to one year. */
  public static Duration requireValidTimeout(Duration valuationTimeout) {
    Objects.requireNonNull(valuationTimeout, "'valuationTimeout' must not be null");
    if (valuationTimeout.toSeconds() < 1
        || valuationTimeout.toNanosPart() != 0
        || valuationTimeout.compareTo(MAX_VALUATION_TIMEOUT) > 0) {
      throw new InvalidValueException(
          "valuationTimeout",
          "'valuationTimeout' must be a whole number of seconds from 1 to "
              + MAX_VALUATION_TIMEOUT.toSeconds()
              + ", was "
              + valuationTimeout.toSeconds());
    }
    return valuationTimeout;
  }

  public String json() {
    return "{\"applicationReference\":"
        + JsonText.quote(application.applicationReference().value())
        + ",\"property\":{\"nameOrNumber\":"
        + JsonText.quote(application.property().nameOrNumber())
        + ",\"postcode\":"
        + JsonText.quote(application.property().postcode())
        + "},\""
        + VALUATION_TIMEOUT_FIELD
        + "\":"
        + valuationTimeout.toSeconds()
        + "}";
  }
}
