package com.valuationflow.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A task token waiting for a callback, kept under the key the callback will quote.
 *
 * @param expiresAt when the waiting task times out; after that the token is of no use and stores
 *     forget it
 */
public record ParkedTask(
    CorrelationKey key,
    TaskToken token,
    ApplicationReference applicationReference,
    Instant expiresAt) {

  public ParkedTask {
    Objects.requireNonNull(key, "'key' must not be null");
    Objects.requireNonNull(token, "'token' must not be null");
    Objects.requireNonNull(applicationReference, "'applicationReference' must not be null");
    Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
