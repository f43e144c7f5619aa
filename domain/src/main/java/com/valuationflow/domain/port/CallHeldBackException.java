package com.valuationflow.domain.port;

import java.time.Duration;

/**
 * An adapter held a call back, not made, to keep within a limit of its own (a rate limit, a backlog
 * it will not let grow): the service behind was not called and nothing changed, so it says nothing
 * of the service's health. Callers may try again after {@link #retryAfter()}.
 */
public class CallHeldBackException extends ServiceUnavailableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param retryAfter how long from now the call may be made; positive
   */
  public CallHeldBackException(String message, Throwable cause, Duration retryAfter) {
    super(message, cause, retryAfter);
  }
}
