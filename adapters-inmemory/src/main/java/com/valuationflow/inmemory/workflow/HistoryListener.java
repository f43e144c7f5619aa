package com.valuationflow.inmemory.workflow;

import com.valuationflow.domain.model.HistoryEvent;

/**
 * Hears every history event as an execution records it: for logs, metrics, or a test waiting for a
 * step. Called outside the engine's locks on the thread that advanced the execution; events of one
 * execution recorded by different threads may arrive out of order, so order them by id. Exceptions
 * it throws are logged and otherwise ignored.
 */
@FunctionalInterface
public interface HistoryListener {

  void onEvent(String executionName, HistoryEvent event);
}
