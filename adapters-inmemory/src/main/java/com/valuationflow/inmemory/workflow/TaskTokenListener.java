package com.valuationflow.inmemory.workflow;

/**
 * Hears about every waiting task that stops waiting, whoever stopped it. Its purpose is cleanup: an
 * application that parks task tokens (say, under a valuer's reference) removes a token when the
 * engine times its task out, rather than keep it until its own expiry.
 *
 * <p>Called after the task closed, once per token, outside the engine's locks, on the thread that
 * closed it (a caller of {@code sendTask*} or an engine thread). It must not block for long; an
 * exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface TaskTokenListener {

  void onTaskClosed(ClosedTask task);
}
