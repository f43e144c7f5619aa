package com.valuationflow.aws;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ARN of a Step Functions state machine, {@code
 * arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME}, without a version or alias qualifier.
 */
public record StateMachineArn(String value) {

  private static final Pattern FORMAT =
      Pattern.compile("(arn:[a-z0-9-]+:states:[a-z0-9-]+:[0-9]{12}:)stateMachine:([^:/\\s]{1,80})");

  public StateMachineArn {
    Objects.requireNonNull(value, "'value' must not be null");
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "'stateMachineArn' must look like arn:aws:states:REGION:ACCOUNT:stateMachine:NAME"
              + " (no version or alias), was '"
              + value
              + "'");
    }
  }

  public static StateMachineArn of(String value) {
    return new StateMachineArn(value);
  }

  /** The ARN of this state machine's execution with the given name. */
  public String executionArn(String executionName) {
    Objects.requireNonNull(executionName, "'executionName' must not be null");
    Matcher matcher = FORMAT.matcher(value);
    if (!matcher.matches()) {
      throw new IllegalStateException("unreachable: the ARN was validated on construction");
    }
    return matcher.group(1) + "execution:" + matcher.group(2) + ":" + executionName;
  }

  @Override
  public String toString() {
    return value;
  }
}
