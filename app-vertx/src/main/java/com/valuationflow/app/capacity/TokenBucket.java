package com.valuationflow.app.capacity;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket, as AWS meters its API quotas: it holds at most {@code burst} tokens, starts full,
 * and gains {@code refillPerSecond} tokens a second. Each call takes one token or is refused, and a
 * refusal tells how long until the next token. Thread-safe; time comes from the clock, so that
 * tests move it.
 */
public final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int burst;
  private final int refillPerSecond;
  private final Clock clock;
  private double tokens;
  private long lastRefillNanos;

  /**
   * @param burst how many tokens the bucket holds at most, and holds at first; at least 1
   * @param refillPerSecond how many tokens it gains a second; at least 1
   */
  public TokenBucket(int burst, int refillPerSecond, Clock clock) {
    if (burst < 1) {
      throw new IllegalArgumentException("'burst' must be at least 1, was " + burst);
    }
    if (refillPerSecond < 1) {
      throw new IllegalArgumentException(
          "'refillPerSecond' must be at least 1, was " + refillPerSecond);
    }
    this.burst = burst;
    this.refillPerSecond = refillPerSecond;
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    this.tokens = burst;
    this.lastRefillNanos = nanos();
  }

  /** Takes a token if there is one. */
  public synchronized boolean tryTake() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** How long until the bucket holds a whole token; zero if it holds one now. */
  public synchronized Duration untilNextToken() {
    refill();
    if (tokens >= 1) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / refillPerSecond));
  }

  public int burst() {
    return burst;
  }

  public int refillPerSecond() {
    return refillPerSecond;
  }

  private void refill() {
    long now = nanos();
    long elapsed = now - lastRefillNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + (double) elapsed * refillPerSecond / NANOS_PER_SECOND);
      lastRefillNanos = now;
    }
  }

  private long nanos() {
    var instant = clock.instant();
    return instant.getEpochSecond() * NANOS_PER_SECOND + instant.getNano();
  }
}
