package com.valuationflow.domain.model;

import java.util.regex.Pattern;

/**
 * Identifies a loan application, and with it the one workflow execution that processes it.
 *
 * <p>1 to 80 letters, digits, {@code -} or {@code _}: the characters a Step Functions execution
 * name allows, so the reference can name the execution.
 */
public record ApplicationReference(String value) {

  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  public ApplicationReference {
    Validation.requireMatch(
        value, "applicationReference", FORMAT, "1 to 80 letters, digits, '-' or '_'");
  }

  public static ApplicationReference of(String value) {
    return new ApplicationReference(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
