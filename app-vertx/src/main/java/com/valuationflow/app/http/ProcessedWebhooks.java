package com.valuationflow.app.http;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code webhook-id}s already processed, each with its final answer: a repeated delivery of a
 * message gets the same answer without being processed again, and deliveries racing one still in
 * progress share its answer. Only final answers are kept; after a provisional {@code 202} or a
 * failure, the next delivery is processed afresh. Ids are forgotten after the retention period, and
 * the oldest first once the capacity is reached. In memory, so instances do not share it.
 */
public final class ProcessedWebhooks {

  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final int DEFAULT_CAPACITY = 100_000;

  private record Entry(Future<HttpAnswer> answer, Instant forgetAt) {}

  private final Duration retention;
  private final Clock clock;
  private final Map<String, Entry> entries;

  public ProcessedWebhooks(Duration retention, int capacity, Clock clock) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("'retention' must be positive");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("'capacity' must be positive");
    }
    this.retention = retention;
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    this.entries =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * The answer remembered for {@code webhookId}, or the one {@code process} comes to, remembered if
   * it is final.
   */
  public synchronized Future<HttpAnswer> answer(
      String webhookId, Supplier<Future<HttpAnswer>> process) {
    Instant now = clock.instant();
    forgetExpired(now);
    Entry known = entries.get(webhookId);
    if (known != null) {
      return known.answer();
    }
    Entry entry = new Entry(process.get(), now.plus(retention));
    entries.put(webhookId, entry);
    entry
        .answer()
        .onComplete(
            answered -> {
              if (answered.failed() || !isFinal(answered.result())) {
                forget(webhookId, entry);
              }
            });
    return entry.answer();
  }

  synchronized int size() {
    return entries.size();
  }

  /** {@code 2xx} other than {@code 202 Accepted}, and {@code 4xx}: the same again on a retry. */
  static boolean isFinal(HttpAnswer answer) {
    int status = answer.status();
    return (status / 100 == 2 && status != 202) || status / 100 == 4;
  }

  private synchronized void forget(String webhookId, Entry entry) {
    entries.remove(webhookId, entry);
  }

  private void forgetExpired(Instant now) {
    for (Iterator<Entry> oldestFirst = entries.values().iterator(); oldestFirst.hasNext(); ) {
      if (oldestFirst.next().forgetAt().isAfter(now)) {
        return;
      }
      oldestFirst.remove();
    }
  }
}
