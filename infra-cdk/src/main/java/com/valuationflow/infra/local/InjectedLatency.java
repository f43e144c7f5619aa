package com.valuationflow.infra.local;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Latency the local AWS gateway adds to calls, by IAM action: {@code states:SendTaskSuccess} for
 * one operation, {@code dynamodb:*} for every operation of a service, {@code *} for every call; the
 * most specific rule applies. A rule delays the call before the service performs it, or its answer
 * after the service performed it (the call took effect, the caller does not know yet), or both.
 * Rules may change while the gateway serves: a test can open a window in the middle of a run.
 *
 * <p>For benchmarks and crash tests, never for correctness: the gateway's threads sleep.
 */
public final class InjectedLatency {

  /** How long a matching call waits, before it is performed and before it is answered. */
  public record Delay(Duration beforeCall, Duration beforeAnswer) {

    public static final Delay NONE = new Delay(Duration.ZERO, Duration.ZERO);

    public Delay {
      Objects.requireNonNull(beforeCall, "'beforeCall' must not be null");
      Objects.requireNonNull(beforeAnswer, "'beforeAnswer' must not be null");
      if (beforeCall.isNegative() || beforeAnswer.isNegative()) {
        throw new IllegalArgumentException("a delay must not be negative");
      }
    }

    /** Waits before the call only. */
    public static Delay beforeCall(Duration delay) {
      return new Delay(delay, Duration.ZERO);
    }
  }

  private final Map<String, Delay> rules = new ConcurrentHashMap<>();

  /**
   * Parses {@code action=millis} pairs separated by commas, each delaying the call before it is
   * performed: {@code states:SendTaskSuccess=300,dynamodb:*=5}. Empty: no latency.
   *
   * @throws IllegalArgumentException naming the pair it cannot read
   */
  public static InjectedLatency parse(String spec) {
    InjectedLatency latency = new InjectedLatency();
    if (spec == null || spec.isBlank()) {
      return latency;
    }
    for (String pair : spec.split(",")) {
      String trimmed = pair.strip();
      int equals = trimmed.lastIndexOf('=');
      try {
        if (equals <= 0) {
          throw new NumberFormatException();
        }
        long millis = Long.parseLong(trimmed.substring(equals + 1).strip());
        latency.set(
            trimmed.substring(0, equals).strip(), Delay.beforeCall(Duration.ofMillis(millis)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Latency must be action=milliseconds pairs such as states:SendTaskSuccess=300, not '"
                + trimmed
                + "'",
            e);
      }
    }
    return latency;
  }

  /**
   * Delays the calls of the action ({@code service:Operation}, {@code service:*} or {@code *}) from
   * now on; {@link Delay#NONE} removes the rule.
   */
  public void set(String action, Delay delay) {
    Objects.requireNonNull(action, "'action' must not be null");
    Objects.requireNonNull(delay, "'delay' must not be null");
    if (!action.equals("*") && !action.matches("[a-z0-9-]+:(\\*|[A-Za-z0-9]+)")) {
      throw new IllegalArgumentException(
          "'action' must be service:Operation, service:* or *, was '" + action + "'");
    }
    if (delay.equals(Delay.NONE)) {
      rules.remove(action);
    } else {
      rules.put(action, delay);
    }
  }

  /** No latency from now on. */
  public void clear() {
    rules.clear();
  }

  /** The delay for a call of the action, such as {@code states:SendTaskSuccess}. */
  public Delay of(String action) {
    if (rules.isEmpty()) {
      return Delay.NONE;
    }
    Delay exact = rules.get(action);
    if (exact != null) {
      return exact;
    }
    int colon = action.indexOf(':');
    Delay service = colon < 0 ? null : rules.get(action.substring(0, colon) + ":*");
    return service != null ? service : rules.getOrDefault("*", Delay.NONE);
  }

  void beforeCall(String action) {
    sleep(of(action).beforeCall());
  }

  void beforeAnswer(String action) {
    sleep(of(action).beforeAnswer());
  }

  private static void sleep(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
