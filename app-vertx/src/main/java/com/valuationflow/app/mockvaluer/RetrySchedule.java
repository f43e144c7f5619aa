package com.valuationflow.app.mockvaluer;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often, and how far apart, the mock valuer tries to deliver one callback: at most {@code
 * attempts} attempts in all, the wait after attempt n drawn uniformly from zero to {@code
 * min(maxDelay, baseDelay * 2^(n-1))} (exponential backoff with full jitter, so that callbacks held
 * up by one outage do not all return at once).
 *
 * @param attempts the most attempts per message, the first included; 1 means no retries
 * @param baseDelay the longest wait after the first attempt, doubling after each further one
 * @param maxDelay the longest wait after any attempt
 */
public record RetrySchedule(int attempts, Duration baseDelay, Duration maxDelay) {

  /** Eight attempts, waits of up to 1 s doubling, never more than 5 minutes. */
  public static final RetrySchedule DEFAULT =
      new RetrySchedule(8, Duration.ofSeconds(1), Duration.ofMinutes(5));

  public RetrySchedule {
    Objects.requireNonNull(baseDelay, "'baseDelay' must not be null");
    Objects.requireNonNull(maxDelay, "'maxDelay' must not be null");
    if (attempts < 1) {
      throw new IllegalArgumentException("'attempts' must be at least 1, was " + attempts);
    }
    if (baseDelay.toMillis() < 1) {
      throw new IllegalArgumentException("'baseDelay' must be at least 1 ms, was " + baseDelay);
    }
    if (maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("'maxDelay' must not be shorter than 'baseDelay'");
    }
  }

  /** Whether another attempt may follow attempt number {@code attempt} (counting from 1). */
  public boolean allowsAnotherAfter(int attempt) {
    requireAttemptNumber(attempt);
    return attempt < attempts;
  }

  /** The longest wait after attempt number {@code attempt}: the backoff before jitter. */
  public Duration ceilingAfter(int attempt) {
    requireAttemptNumber(attempt);
    long base = baseDelay.toMillis();
    long max = maxDelay.toMillis();
    int doublings = attempt - 1;
    if (doublings >= Long.SIZE - 1 || base > max >> doublings) {
      return Duration.ofMillis(max);
    }
    return Duration.ofMillis(base << doublings);
  }

  /** A wait after attempt number {@code attempt}, between zero and its ceiling, both included. */
  public Duration delayAfter(int attempt, RandomGenerator random) {
    return Duration.ofMillis(random.nextLong(ceilingAfter(attempt).toMillis() + 1));
  }

  private static void requireAttemptNumber(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, was " + attempt);
    }
  }
}
