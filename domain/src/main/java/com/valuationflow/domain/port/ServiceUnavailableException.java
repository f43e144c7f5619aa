package com.valuationflow.domain.port;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A port's adapter could not reach the service behind it (throttled past its retries, a server
 * error, a timeout), or held back from calling it to stay within its limits ({@link
 * CallHeldBackException}). Not an outcome of the business: callers may retry later, after {@link
 * #retryAfter()} when it is known. Adapters throw it, or a subclass, instead of their technology's
 * exceptions; its message never holds a task token.
 */
public class ServiceUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public ServiceUnavailableException(String message, Throwable cause) {
    super(message, cause);
    this.retryAfter = null;
  }

  /**
   * @param retryAfter how long from now a retry may succeed; positive
   */
  public ServiceUnavailableException(String message, Throwable cause, Duration retryAfter) {
    super(message, cause);
    Objects.requireNonNull(retryAfter, "'retryAfter' must not be null");
    if (retryAfter.isNegative() || retryAfter.isZero()) {
      throw new IllegalArgumentException("'retryAfter' must be positive, was " + retryAfter);
    }
    this.retryAfter = retryAfter;
  }

  /** How long from now a retry may succeed, when the adapter knows. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
