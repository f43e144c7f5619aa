package com.valuationflow.domain.port;

import com.valuationflow.domain.model.WorkflowInput;

/**
 * Starts the loan-processor workflow for an application. The application reference names the
 * execution, so each application is processed at most once.
 *
 * <p>The execution's input is {@link WorkflowInput#json()}.
 */
public interface WorkflowStarter {

  StartOutcome start(WorkflowInput input);

  /** What became of a start call. */
  enum StartOutcome {
    /** A new execution started. */
    STARTED,
    /**
     * An execution for the same application with the same content exists already, running or ended:
     * a repeat of an earlier submission. The valuation timeout does not count as content: an
     * application submitted again after the timeout setting changed is the same application, and
     * its execution keeps the timeout it started with.
     */
    ALREADY_STARTED,
    /** An execution for the same application reference exists with different content. */
    CONFLICTS_WITH_EXISTING
  }
}
