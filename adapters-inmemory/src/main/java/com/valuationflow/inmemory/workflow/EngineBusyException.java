package com.valuationflow.inmemory.workflow;

import java.time.Duration;

/**
 * The engine refused to start an execution because its Task invocations wait too long for a thread
 * (see {@link WorkflowEngine.Builder#maxInvocationWait}): an execution started now would wait
 * longer still. Nothing was started; the same start may be made again after {@link #retryAfter()}.
 * Step Functions answers such a {@code StartExecution} with {@code ThrottlingException}.
 */
public final class EngineBusyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  EngineBusyException(Duration oldestWait, Duration maxWait, Duration retryAfter) {
    super(
        "Task invocations wait "
            + oldestWait.toMillis()
            + " ms for a thread, more than the "
            + maxWait.toMillis()
            + " ms allowed: no execution starts until they catch up");
    this.retryAfter = retryAfter;
  }

  /** How long from now a start may succeed. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
