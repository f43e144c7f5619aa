package com.valuationflow.aws;

/**
 * The RequestValuation function's payload is not a valid loan application. The message names the
 * field by its path in the payload and what is wrong with it, never a field's value.
 *
 * <p>Lambda's Java runtime reports a thrown exception under its class name, so Step Functions sees
 * the task fail with the error {@value #ERROR}. It carries no stack trace: the message says all.
 */
public final class InvalidLoanApplicationException extends RuntimeException {

  /** The error name Step Functions sees: this class's name. */
  public static final String ERROR = "com.valuationflow.aws.InvalidLoanApplicationException";

  private static final long serialVersionUID = 1L;

  InvalidLoanApplicationException(String message) {
    super(message, null, false, false);
  }
}
