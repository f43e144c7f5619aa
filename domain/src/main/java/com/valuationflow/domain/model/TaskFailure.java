package com.valuationflow.domain.model;

import java.util.Objects;

/**
 * Why a waiting task failed: an error name that a workflow's {@code Retry} and {@code Catch} match
 * on, and a human-readable cause. Limits are those of Step Functions' {@code SendTaskFailure}:
 * error at most 256 characters, cause at most 32,768.
 */
public record TaskFailure(String error, String cause) implements TaskAnswer {

  public static final int MAX_ERROR_LENGTH = 256;
  public static final int MAX_CAUSE_LENGTH = 32_768;

  public TaskFailure {
    Objects.requireNonNull(error, "'error' must not be null");
    Objects.requireNonNull(cause, "'cause' must not be null");
    if (error.isBlank() || error.length() > MAX_ERROR_LENGTH) {
      throw new InvalidValueException(
          "error",
          "'error' must be 1 to " + MAX_ERROR_LENGTH + " characters, was " + error.length());
    }
    if (cause.length() > MAX_CAUSE_LENGTH) {
      throw new InvalidValueException(
          "cause",
          "'cause' must be at most " + MAX_CAUSE_LENGTH + " characters, was " + cause.length());
    }
  }

  public static TaskFailure of(String error, String cause) {
    return new TaskFailure(error, cause);
  }
}
