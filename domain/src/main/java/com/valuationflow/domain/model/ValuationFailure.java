package com.valuationflow.domain.model;

import java.util.Objects;

/**
 * The valuer's report that it could not value the property.
 *
 * @param reason the valuer's explanation, 1 to 2,000 characters
 */
public record ValuationFailure(ValuationReference valuationReference, String reason)
    implements ValuerCallback {

  public static final int MAX_REASON_LENGTH = 2_000;

  public ValuationFailure {
    Objects.requireNonNull(valuationReference, "'valuationReference' must not be null");
    Validation.requireText(reason, "reason", MAX_REASON_LENGTH);
  }

  public static ValuationFailure of(String valuationReference, String reason) {
    return new ValuationFailure(ValuationReference.of(valuationReference), reason);
  }
}
