package com.valuationflow.domain.usecase;

/**
 * The errors the workflow's RequestValuation task fails with when its function cannot run the use
 * case, named alike by every function host (the in-memory engine's handler and the AWS Lambda
 * function), so that the loan processor's {@code Retry} and {@code Catch} match them in either
 * mode. The causes are our own words: they name no class, table, request id or token.
 */
public final class RequestValuationErrors {

  /**
   * A service the use case depends on (the task token store, the workflow service) could not be
   * reached now: throttled past the client's own retries, a server error, a timeout. The loan
   * processor retries it with backoff.
   */
  public static final String SERVICE_UNAVAILABLE = "ValuationServiceUnavailable";

  /** The cause a task failed with {@value #SERVICE_UNAVAILABLE} carries. */
  public static final String SERVICE_UNAVAILABLE_CAUSE =
      "A service the valuation request depends on is unavailable for now";

  /**
   * The use case failed in a way nobody expected (a bug): the task fails at once under this name,
   * the details go to the function's log only.
   */
  public static final String SERVICE_ERROR = "ValuationServiceError";

  /** The cause a task failed with {@value #SERVICE_ERROR} carries. */
  public static final String SERVICE_ERROR_CAUSE = "The valuation request failed unexpectedly";

  /** The task's payload is not a valid loan application; the cause names the field. */
  public static final String INVALID_LOAN_APPLICATION = "InvalidLoanApplication";

  private RequestValuationErrors() {}
}
