package com.valuationflow.domain.port;

import java.time.Instant;
import java.util.Objects;

/** What claiming a {@code webhook-id} came to (see {@link AnsweredWebhooks#claim}). */
public sealed interface WebhookClaim {

  /** This delivery won the id: process it, then answer or release it. */
  record Claimed(String webhookId, WebhookFingerprint fingerprint, String claimId)
      implements WebhookClaim {
    public Claimed {
      requireText(webhookId, "webhookId");
      Objects.requireNonNull(fingerprint, "'fingerprint' must not be null");
      requireText(claimId, "claimId");
    }
  }

  /** The id was answered: give the same answer again. */
  record Answered(WebhookAnswer answer) implements WebhookClaim {
    public Answered {
      Objects.requireNonNull(answer, "'answer' must not be null");
    }
  }

  /** Another delivery of the same message is being processed, under a lease until then. */
  record InProgress(Instant leaseUntil) implements WebhookClaim {
    public InProgress {
      Objects.requireNonNull(leaseUntil, "'leaseUntil' must not be null");
    }
  }

  /** The id was claimed with other content: nothing changes. */
  record Reused() implements WebhookClaim {}

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, "'" + name + "' must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException("'" + name + "' must not be blank");
    }
  }
}
