package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The in-memory stand-in for a Lambda function that a Task state invokes. It runs on one of the
 * engine's worker threads, never on the thread that started or resumed the execution.
 *
 * <p>Throw {@link TaskFailedException} to fail the task with a chosen error name and cause; any
 * other exception fails it with the exception's simple class name as the error and its message as
 * the cause.
 */
@FunctionalInterface
public interface TaskHandler {

  /**
   * @param payload the task's {@code Parameters.Payload}, after path and intrinsic resolution
   * @return the function's result: for {@code lambda:invoke}, the {@code Payload} of the task's
   *     result; for {@code lambda:invoke.waitForTaskToken}, recorded in history and otherwise
   *     ignored
   */
  JsonNode invoke(JsonNode payload) throws Exception;
}
