package com.valuationflow.inmemory.workflow;

/** A state failure: an ASL error name and its cause, as Retry, Catch and history see them. */
final class WorkflowError extends RuntimeException {

  private final String error;
  private final String errorCause;

  WorkflowError(String error, String cause) {
    super(error, null, false, false);
    this.error = error;
    this.errorCause = cause;
  }

  static WorkflowError runtime(String cause) {
    return new WorkflowError(StatesErrors.RUNTIME, cause);
  }

  static WorkflowError intrinsicFailure(String cause) {
    return new WorkflowError(StatesErrors.INTRINSIC_FAILURE, cause);
  }

  String error() {
    return error;
  }

  /** The cause; may be null. */
  String errorCause() {
    return errorCause;
  }
}
