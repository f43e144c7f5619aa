package com.valuationflow.domain.model;

import java.util.regex.Pattern;

/**
 * The valuer's identifier for one valuation, returned when we request it and quoted when the valuer
 * calls back. 1 to 128 visible ASCII characters.
 */
public record ValuationReference(String value) {

  private static final Pattern FORMAT = Pattern.compile("[\\x21-\\x7E]{1,128}");

  public ValuationReference {
    Validation.requireMatch(
        value, "valuationReference", FORMAT, "1 to 128 visible ASCII characters");
  }

  public static ValuationReference of(String value) {
    return new ValuationReference(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
