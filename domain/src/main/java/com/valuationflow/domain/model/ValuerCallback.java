package com.valuationflow.domain.model;

/**
 * What a valuer reports when it calls back: a completed valuation ({@link ValuationResult}) or a
 * valuation it could not do ({@link ValuationFailure}). Two callbacks are the same callback when
 * they are equal.
 */
public sealed interface ValuerCallback permits ValuationResult, ValuationFailure {

  /** The valuer's reference, as it answered our request. */
  ValuationReference valuationReference();
}
