package com.valuationflow.domain.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A completed valuation as the valuer reports it in its callback.
 *
 * @param propertyValue the property's value in pounds; positive, at most two decimal places
 */
public record ValuationResult(ValuationReference valuationReference, BigDecimal propertyValue)
    implements ValuerCallback {

  private static final BigDecimal MAX_VALUE = new BigDecimal("1000000000000");

  public ValuationResult {
    Objects.requireNonNull(valuationReference, "'valuationReference' must not be null");
    Objects.requireNonNull(propertyValue, "'propertyValue' must not be null");
    if (propertyValue.signum() <= 0) {
      throw new InvalidValueException(
          "propertyValue", "'propertyValue' must be positive, was " + propertyValue);
    }
    if (propertyValue.compareTo(MAX_VALUE) >= 0) {
      throw new InvalidValueException(
          "propertyValue", "'propertyValue' must be below " + MAX_VALUE.toPlainString());
    }
    if (propertyValue.stripTrailingZeros().scale() > 2) {
      throw new InvalidValueException(
          "propertyValue",
          "'propertyValue' must have at most two decimal places, was " + propertyValue);
    }
    propertyValue = propertyValue.stripTrailingZeros();
    if (propertyValue.scale() < 0) {
      propertyValue = propertyValue.setScale(0);
    }
  }

  public static ValuationResult of(String valuationReference, long propertyValue) {
    return new ValuationResult(
        ValuationReference.of(valuationReference), BigDecimal.valueOf(propertyValue));
  }

  /**
   * The task output that resumes the workflow: {@code
   * {"valuationReference":"...","propertyValue":123000}}.
   */
  public TaskOutput toTaskOutput() {
    return new TaskOutput(
        "{\"valuationReference\":"
            + JsonText.quote(valuationReference.value())
            + ",\"propertyValue\":"
            + propertyValue.toPlainString()
            + "}");
  }
}
