package com.valuationflow.inmemory.workflow;

import java.util.Objects;

/**
 * Thrown by a {@link TaskHandler} to fail its task with an error name that the state's {@code
 * Retry} and {@code Catch} match on, like a Lambda function's error type.
 */
public class TaskFailedException extends RuntimeException {

  private final String error;
  private final String errorCause;

  /**
   * @param error the error name, 1 to 256 characters
   * @param cause a human-readable explanation, or null
   */
  public TaskFailedException(String error, String cause) {
    super(error + (cause == null ? "" : ": " + cause));
    Objects.requireNonNull(error, "'error' must not be null");
    if (error.isBlank() || error.length() > 256) {
      throw new IllegalArgumentException("'error' must be 1 to 256 characters");
    }
    this.error = error;
    this.errorCause = cause;
  }

  public String error() {
    return error;
  }

  /** The cause the task fails with, or null; not {@link #getCause()}, the chained exception. */
  public String errorCause() {
    return errorCause;
  }
}
