package com.valuationflow.infra.local;

import java.util.Objects;

/**
 * An error a local AWS service answers, as the real one would: its error code (the JSON protocols'
 * {@code __type}), message and HTTP status.
 */
public final class AwsServiceError extends RuntimeException {

  private final String code;
  private final int status;

  public AwsServiceError(String code, String message, int status) {
    super(message);
    this.code = Objects.requireNonNull(code, "'code' must not be null");
    this.status = status;
  }

  /** A client error: HTTP 400, as most AWS errors are. */
  public static AwsServiceError of(String code, String message) {
    return new AwsServiceError(code, message, 400);
  }

  public static AwsServiceError accessDenied(String principal, String action, String resource) {
    return new AwsServiceError(
        "AccessDeniedException",
        "User: "
            + principal
            + " is not authorized to perform: "
            + action
            + " on resource: "
            + resource
            + " because no identity-based policy allows the "
            + action
            + " action",
        400);
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
