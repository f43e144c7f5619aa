package com.valuationflow.domain.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store holds for one {@code webhook-id}, and the one rule every {@link AnsweredWebhooks}
 * applies to a new claim: a receipt past {@code forgetAt} counts as none; one with another
 * fingerprint refuses the claim as {@link WebhookClaim.Reused}; an answered one gives its answer;
 * an unanswered one is {@link WebhookClaim.InProgress} until its lease runs out, and may then be
 * claimed again.
 */
public record WebhookReceipt(
    WebhookFingerprint fingerprint,
    String claimId,
    Instant leaseUntil,
    Instant forgetAt,
    Optional<WebhookAnswer> answer) {

  public WebhookReceipt {
    Objects.requireNonNull(fingerprint, "'fingerprint' must not be null");
    Objects.requireNonNull(claimId, "'claimId' must not be null");
    Objects.requireNonNull(leaseUntil, "'leaseUntil' must not be null");
    Objects.requireNonNull(forgetAt, "'forgetAt' must not be null");
    Objects.requireNonNull(answer, "'answer' must not be null");
  }

  /** Why this receipt refuses a new claim with {@code fingerprint} at {@code now}, if it does. */
  public Optional<WebhookClaim> refusal(WebhookFingerprint fingerprint, Instant now) {
    if (!now.isBefore(forgetAt)) {
      return Optional.empty();
    }
    if (!this.fingerprint.equals(fingerprint)) {
      return Optional.of(new WebhookClaim.Reused());
    }
    if (answer.isPresent()) {
      return Optional.of(new WebhookClaim.Answered(answer.get()));
    }
    return now.isBefore(leaseUntil)
        ? Optional.of(new WebhookClaim.InProgress(leaseUntil))
        : Optional.empty();
  }
}
