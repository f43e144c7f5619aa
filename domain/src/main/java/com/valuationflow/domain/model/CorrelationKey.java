package com.valuationflow.domain.model;

import java.util.regex.Pattern;

/**
 * The key a parked task token is found by when a callback arrives. 1 to 256 visible ASCII
 * characters.
 */
public record CorrelationKey(String value) {

  private static final Pattern FORMAT = Pattern.compile("[\\x21-\\x7E]{1,256}");

  public CorrelationKey {
    Validation.requireMatch(value, "correlationKey", FORMAT, "1 to 256 visible ASCII characters");
  }

  public static CorrelationKey of(ValuationReference reference) {
    return new CorrelationKey(reference.value());
  }

  @Override
  public String toString() {
    return value;
  }
}
