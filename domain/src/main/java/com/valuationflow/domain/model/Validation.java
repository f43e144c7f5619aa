package com.valuationflow.domain.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** Checks shared by the value objects; messages name the offending field. */
final class Validation {

  private Validation() {}

  static String requireText(String value, String field, int maxLength) {
    Objects.requireNonNull(value, () -> "'" + field + "' must not be null");
    if (value.isBlank()) {
      throw new InvalidValueException(field, "'" + field + "' must not be blank");
    }
    if (value.length() > maxLength) {
      throw new InvalidValueException(
          field,
          "'" + field + "' must be at most " + maxLength + " characters, was " + value.length());
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidValueException(field, "'" + field + "' must not contain control characters");
    }
    return value;
  }

  static String requireMatch(String value, String field, Pattern pattern, String expected) {
    requireText(value, field, Integer.MAX_VALUE);
    if (!pattern.matcher(value).matches()) {
      throw new InvalidValueException(field, "'" + field + "' must be " + expected);
    }
    return value;
  }
}
