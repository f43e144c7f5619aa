package com.valuationflow.domain.port;

import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import java.util.Objects;

/**
 * A third-party property valuer. It accepts a request at once with its own reference for the
 * valuation, and later calls the request's callback URL with the result.
 */
public interface Valuer {

  /** Asks for a valuation; never throws for a valuer that is down or answers nonsense. */
  ValuerReply requestValuation(ValuationRequest request);

  /** The valuer's immediate answer to a request. */
  sealed interface ValuerReply {}

  /** The valuer took the request and will call back quoting the reference. */
  record Accepted(ValuationReference valuationReference) implements ValuerReply {
    public Accepted {
      Objects.requireNonNull(valuationReference, "'valuationReference' must not be null");
    }
  }

  /**
   * The valuer could not take the request: unreachable, too slow, an error status, or a reply
   * without a usable reference.
   */
  record Unavailable(String reason) implements ValuerReply {
    public Unavailable {
      Objects.requireNonNull(reason, "'reason' must not be null");
    }
  }
}
