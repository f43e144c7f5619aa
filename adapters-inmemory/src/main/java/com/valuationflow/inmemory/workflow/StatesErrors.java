package com.valuationflow.inmemory.workflow;

import java.util.Set;

/**
 * The error names the Amazon States Language predefines, and how {@code Retry} and {@code Catch}
 * match them.
 */
public final class StatesErrors {

  /**
   * Matches every error except {@link #RUNTIME}. (The specification also excepts {@link
   * #DATA_LIMIT_EXCEEDED}, but AWS's recorded executions catch it with {@code States.ALL}.)
   */
  public static final String ALL = "States.ALL";

  /** A Task failed; in {@code ErrorEquals} it matches every error except {@link #TIMEOUT}. */
  public static final String TASK_FAILED = "States.TaskFailed";

  /** A Task ran longer than its {@code TimeoutSeconds}, or an execution than its own. */
  public static final String TIMEOUT = "States.Timeout";

  /** A Task got no heartbeat within its {@code HeartbeatSeconds}. */
  public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";

  /** The execution could not process its data, for example a path that matches nothing. */
  public static final String RUNTIME = "States.Runtime";

  /** A Choice state matched no rule and has no {@code Default}. */
  public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";

  /** An intrinsic function failed on its arguments. */
  public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";

  /** {@code ResultPath} cannot place the result into the state's input, such as a string. */
  public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";

  /** A Map state's iterations failed more than its tolerated failure threshold allows. */
  public static final String EXCEED_TOLERATED_FAILURE_THRESHOLD =
      "States.ExceedToleratedFailureThreshold";

  /** Output exceeded a size limit. */
  public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";

  private static final Set<String> TERMINAL = Set.of(RUNTIME);

  private StatesErrors() {}

  /** Whether the error always fails the execution, whatever the state's Retry and Catch say. */
  public static boolean isTerminal(String error) {
    return error != null && TERMINAL.contains(error);
  }

  /**
   * Whether a name listed in {@code ErrorEquals} matches the error, as the spec defines it. A null
   * error, as {@code SendTaskFailure} without an error leaves it, matches only the wildcards.
   */
  public static boolean matches(String errorEquals, String error) {
    if (isTerminal(error)) {
      return false;
    }
    if (ALL.equals(errorEquals)) {
      return true;
    }
    if (TASK_FAILED.equals(errorEquals)) {
      return !TIMEOUT.equals(error);
    }
    return errorEquals.equals(error);
  }
}
