package com.valuationflow.inmemory.workflow;

import com.valuationflow.domain.model.TaskToken;
import java.util.Objects;
import java.util.Optional;

/**
 * A waiting ({@code .waitForTaskToken}) task that stopped waiting: from then on its token is of no
 * use, and {@code SendTask*} calls with it answer {@code TASK_TIMED_OUT}.
 *
 * @param error the error the task failed with, empty when it succeeded or its execution ended
 */
public record ClosedTask(
    TaskToken token,
    String executionName,
    String stateName,
    Reason reason,
    Optional<String> error) {

  public ClosedTask {
    Objects.requireNonNull(token, "'token' must not be null");
    Objects.requireNonNull(executionName, "'executionName' must not be null");
    Objects.requireNonNull(stateName, "'stateName' must not be null");
    Objects.requireNonNull(reason, "'reason' must not be null");
    Objects.requireNonNull(error, "'error' must not be null");
  }

  /** Why the task stopped waiting. */
  public enum Reason {
    /** {@code SendTaskSuccess} completed it. */
    SUCCEEDED,
    /** {@code SendTaskFailure} failed it, or its handler threw. */
    FAILED,
    /** The engine failed it with {@code States.Timeout} or {@code States.HeartbeatTimeout}. */
    TIMED_OUT,
    /** Its execution ended while it waited: timed out or stopped. */
    EXECUTION_ENDED
  }
}
