package com.valuationflow.domain.port;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.ExecutionPage;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.WorkflowExecution;
import java.util.Optional;

/**
 * Looks up the workflow executions of loan applications: one with its status, output and history,
 * or a page of them, and the definition they run.
 */
public interface WorkflowExecutions {

  Optional<WorkflowExecution> find(ApplicationReference applicationReference);

  /**
   * A page of executions, newest first.
   *
   * @param status only executions with this status, or all
   * @param pageSize at most this many, 1 to 100
   * @param pageToken where to start: a previous page's {@link ExecutionPage#nextPageToken()}, or
   *     empty for the first page
   */
  ExecutionPage list(Optional<ExecutionStatus> status, int pageSize, Optional<String> pageToken);

  /**
   * The state machine's definition the executions run, Amazon States Language JSON, for drawing it;
   * never with secrets.
   */
  String definition();
}
