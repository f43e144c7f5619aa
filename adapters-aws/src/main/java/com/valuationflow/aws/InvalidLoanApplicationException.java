package com.valuationflow.aws;

/**
 * The RequestValuation function's payload is not a valid loan application. The message names the
 * field by its path in the payload and what is wrong with it, never a field's value. Lambda's entry
 * point fails the invocation with {@code InvalidLoanApplication} and this message. It carries no
 * stack trace: the message says all.
 */
public final class InvalidLoanApplicationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  InvalidLoanApplicationException(String message) {
    super(message, null, false, false);
  }
}
