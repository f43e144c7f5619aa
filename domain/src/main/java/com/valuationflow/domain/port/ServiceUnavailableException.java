package com.valuationflow.domain.port;

/**
 * A port's adapter could not reach the service behind it (throttled past its retries, a server
 * error, a timeout). Not an outcome of the business: callers may retry later. Adapters throw it, or
 * a subclass, instead of their technology's exceptions; its message never holds a task token.
 */
public class ServiceUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ServiceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
