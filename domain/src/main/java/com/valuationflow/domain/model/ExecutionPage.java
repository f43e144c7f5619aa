package com.valuationflow.domain.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of workflow executions, newest first.
 *
 * @param nextPageToken where the next page starts, if there is one; opaque to callers
 */
public record ExecutionPage(
    List<WorkflowExecutionSummary> executions, Optional<String> nextPageToken) {

  public ExecutionPage {
    executions = List.copyOf(Objects.requireNonNull(executions, "'executions' must not be null"));
    Objects.requireNonNull(nextPageToken, "'nextPageToken' must not be null");
  }
}
