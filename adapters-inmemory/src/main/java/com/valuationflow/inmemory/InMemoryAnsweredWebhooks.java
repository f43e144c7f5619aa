package com.valuationflow.inmemory;

import com.valuationflow.domain.port.AnsweredWebhooks;
import com.valuationflow.domain.port.WebhookAnswer;
import com.valuationflow.domain.port.WebhookClaim;
import com.valuationflow.domain.port.WebhookFingerprint;
import com.valuationflow.domain.port.WebhookReceipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AnsweredWebhooks} in one process's memory, for one instance. Receipts are forgotten after
 * the retention, and the least recently claimed first once the capacity is reached.
 */
public final class InMemoryAnsweredWebhooks implements AnsweredWebhooks {

  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final int DEFAULT_CAPACITY = 100_000;

  private final Clock clock;
  private final Duration retention;
  private final Duration lease;
  private final Map<String, WebhookReceipt> receipts;

  public InMemoryAnsweredWebhooks(Clock clock, Duration retention, Duration lease, int capacity) {
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    this.retention = positive(retention, "retention");
    this.lease = positive(lease, "lease");
    if (capacity < 1) {
      throw new IllegalArgumentException("'capacity' must be positive");
    }
    this.receipts =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, WebhookReceipt> eldest) {
            return size() > capacity;
          }
        };
  }

  @Override
  public synchronized WebhookClaim claim(String webhookId, WebhookFingerprint fingerprint) {
    Objects.requireNonNull(webhookId, "'webhookId' must not be null");
    Instant now = clock.instant();
    forgetExpired(now);
    WebhookReceipt known = receipts.get(webhookId);
    if (known != null) {
      Optional<WebhookClaim> refusal = known.refusal(fingerprint, now);
      if (refusal.isPresent()) {
        return refusal.get();
      }
    }
    String claimId = UUID.randomUUID().toString();
    receipts.remove(webhookId);
    receipts.put(
        webhookId,
        new WebhookReceipt(
            fingerprint, claimId, now.plus(lease), now.plus(retention), Optional.empty()));
    return new WebhookClaim.Claimed(webhookId, fingerprint, claimId);
  }

  @Override
  public synchronized boolean answer(WebhookClaim.Claimed claim, WebhookAnswer answer) {
    Objects.requireNonNull(answer, "'answer' must not be null");
    return replaceHeld(
        claim,
        held ->
            new WebhookReceipt(
                held.fingerprint(),
                held.claimId(),
                held.leaseUntil(),
                clock.instant().plus(retention),
                Optional.of(answer)));
  }

  @Override
  public synchronized void release(WebhookClaim.Claimed claim) {
    replaceHeld(
        claim,
        held ->
            new WebhookReceipt(
                held.fingerprint(),
                held.claimId(),
                Instant.EPOCH,
                held.forgetAt(),
                Optional.empty()));
  }

  /** How many receipts are held, expired or not. */
  synchronized int size() {
    return receipts.size();
  }

  private boolean replaceHeld(
      WebhookClaim.Claimed claim, java.util.function.UnaryOperator<WebhookReceipt> change) {
    WebhookReceipt held = receipts.get(claim.webhookId());
    if (held == null || !held.claimId().equals(claim.claimId()) || held.answer().isPresent()) {
      return false;
    }
    receipts.put(claim.webhookId(), change.apply(held));
    return true;
  }

  private void forgetExpired(Instant now) {
    for (Iterator<WebhookReceipt> oldestFirst = receipts.values().iterator();
        oldestFirst.hasNext(); ) {
      if (oldestFirst.next().forgetAt().isAfter(now)) {
        return;
      }
      oldestFirst.remove();
    }
  }

  private static Duration positive(Duration duration, String name) {
    Objects.requireNonNull(duration, "'" + name + "' must not be null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'" + name + "' must be positive");
    }
    return duration;
  }
}
