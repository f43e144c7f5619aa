package com.valuationflow.app.mockvaluer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The mock valuer's memory of {@code Idempotency-Key}s, as a valuer that honours them keeps it: a
 * request repeating a key is answered with the first request's reference and values nothing again;
 * the same key with another request is refused. Keys are remembered for a day, at most {@value
 * #CAPACITY} of them, the oldest forgotten first. Thread-safe.
 */
final class IdempotentRequests {

  static final int CAPACITY = 10_000;
  static final Duration RETENTION = Duration.ofDays(1);

  /** Visible ASCII, as the header's specification allows; long enough for any sender's keys. */
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

  private final Clock clock;
  private final Map<String, Remembered> byKey = new LinkedHashMap<>(); // guarded by this

  IdempotentRequests(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
  }

  /** What the valuer made of a request the first time it came with the key. */
  private record Remembered(MockValuerHandler.Request request, String reference, Instant at) {}

  /** What to do with a request that carries a key. */
  sealed interface Verdict {}

  /** The key is new: the request is valued, under the reference now remembered for the key. */
  record First(String reference) implements Verdict {}

  /** The same request came with the key before: answer with its reference, value nothing. */
  record Repeat(String reference) implements Verdict {}

  /** Another request came with the key before. */
  record Reused() implements Verdict {}

  static boolean isValidKey(String key) {
    return KEY.matcher(key).matches();
  }

  /**
   * Remembers the request under the key, with the reference it will be valued under, unless the key
   * came before.
   */
  synchronized Verdict admit(String key, MockValuerHandler.Request request, String reference) {
    Instant now = clock.instant();
    forgetOlderThan(now.minus(RETENTION));
    Optional<Remembered> before = Optional.ofNullable(byKey.get(key));
    if (before.isPresent()) {
      return before.get().request().equals(request)
          ? new Repeat(before.get().reference())
          : new Reused();
    }
    byKey.put(key, new Remembered(request, reference, now));
    while (byKey.size() > CAPACITY) {
      byKey.remove(byKey.keySet().iterator().next());
    }
    return new First(reference);
  }

  private void forgetOlderThan(Instant cutoff) {
    var oldest = byKey.values().iterator();
    while (oldest.hasNext() && oldest.next().at().isBefore(cutoff)) {
      oldest.remove();
    }
  }
}
