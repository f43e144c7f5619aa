package com.valuationflow.domain.model;

/** Where a workflow execution stands; the values and meanings of Step Functions' statuses. */
public enum ExecutionStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  ABORTED;

  public boolean isTerminal() {
    return this != RUNNING;
  }
}
