package com.valuationflow.app.capacity;

import com.valuationflow.domain.port.CallHeldBackException;
import java.time.Duration;

/**
 * A call held back, not made, because its rate limit's bucket was empty: the service would have
 * throttled it. Nothing was sent; the caller may try again after {@link #retryAfter()}.
 */
public final class RateLimitExceededException extends CallHeldBackException {

  private static final long serialVersionUID = 1L;

  RateLimitExceededException(String limit, Duration retryAfter) {
    super("Held back by the " + limit + " rate limit", null, retryAfter);
  }

  /** Takes a token from the bucket, or throws naming the limit and the wait for the next token. */
  static void take(TokenBucket bucket, String limit) {
    if (!bucket.tryTake()) {
      Duration wait = bucket.untilNextToken();
      throw new RateLimitExceededException(limit, wait.isZero() ? Duration.ofMillis(1) : wait);
    }
  }
}
