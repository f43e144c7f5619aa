package com.valuationflow.app.capacity;

import java.util.Map;

/**
 * How much the app takes on at once, and how fast it calls the workflow service.
 *
 * @param maxInFlightRequests {@code MAX_IN_FLIGHT_REQUESTS}: API requests (loan applications and
 *     callbacks) answered at once; one more is refused at once with {@code 503} and {@code
 *     Retry-After}. It also sizes the worker pool that runs their blocking calls and, in {@code
 *     MODE=aws}, each AWS client's connection pool, so that an admitted request never queues
 * @param sendTaskBurst {@code SFN_SEND_TASK_BURST}: {@code MODE=aws}, the task responses ({@code
 *     SendTaskSuccess}, {@code SendTaskFailure}, {@code SendTaskHeartbeat}) sent at once at most
 * @param sendTaskPerSecond {@code SFN_SEND_TASK_PER_SECOND}: and sent a second, sustained
 * @param startExecutionBurst {@code SFN_START_EXECUTION_BURST}: {@code MODE=aws}, the executions
 *     started at once at most
 * @param startExecutionPerSecond {@code SFN_START_EXECUTION_PER_SECOND}: and started a second
 */
public record CapacitySettings(
    int maxInFlightRequests,
    int sendTaskBurst,
    int sendTaskPerSecond,
    int startExecutionBurst,
    int startExecutionPerSecond) {

  /** Requests answered at once, by default: a thousand callbacks at 100 ms per AWS call. */
  public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 1000;

  /** Step Functions' default quotas in its large regions (token bucket: burst, refill a second). */
  public static final int DEFAULT_SEND_TASK_BURST = 3000;

  public static final int DEFAULT_SEND_TASK_PER_SECOND = 500;
  public static final int DEFAULT_START_EXECUTION_BURST = 1300;
  public static final int DEFAULT_START_EXECUTION_PER_SECOND = 300;

  public CapacitySettings {
    require(maxInFlightRequests, 1, 10_000, "MAX_IN_FLIGHT_REQUESTS");
    require(sendTaskBurst, 1, 1_000_000, "SFN_SEND_TASK_BURST");
    require(sendTaskPerSecond, 1, 1_000_000, "SFN_SEND_TASK_PER_SECOND");
    require(startExecutionBurst, 1, 1_000_000, "SFN_START_EXECUTION_BURST");
    require(startExecutionPerSecond, 1, 1_000_000, "SFN_START_EXECUTION_PER_SECOND");
  }

  public static CapacitySettings defaults() {
    return fromEnvironment(Map.of());
  }

  public static CapacitySettings fromEnvironment(Map<String, String> env) {
    return new CapacitySettings(
        read(env, "MAX_IN_FLIGHT_REQUESTS", DEFAULT_MAX_IN_FLIGHT_REQUESTS),
        read(env, "SFN_SEND_TASK_BURST", DEFAULT_SEND_TASK_BURST),
        read(env, "SFN_SEND_TASK_PER_SECOND", DEFAULT_SEND_TASK_PER_SECOND),
        read(env, "SFN_START_EXECUTION_BURST", DEFAULT_START_EXECUTION_BURST),
        read(env, "SFN_START_EXECUTION_PER_SECOND", DEFAULT_START_EXECUTION_PER_SECOND));
  }

  private static int read(Map<String, String> env, String name, int defaultValue) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " is invalid: must be a whole number (was '" + text.strip() + "')", e);
    }
  }

  private static void require(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " is invalid: must be between " + min + " and " + max + " (was '" + value + "')");
    }
  }
}
