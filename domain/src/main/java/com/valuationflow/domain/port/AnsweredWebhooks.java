package com.valuationflow.domain.port;

import java.time.Duration;

/**
 * The {@code webhook-id}s of callbacks claimed and answered, shared by every instance of the app: a
 * delivery is processed once, whichever instance it reaches, and every repeat gets the first answer
 * again.
 *
 * <p>A delivery {@linkplain #claim claims} its id, bound to the {@link WebhookFingerprint} of what
 * it carries, in one atomic step. The one claim that wins processes the callback and then either
 * {@linkplain #answer records its answer} or, if the answer is not final, {@linkplain #release
 * releases} the id for the next delivery. A claim is a lease: if its holder dies before answering,
 * the id may be claimed again once the lease ran out. The same id with another fingerprint is
 * {@link WebhookClaim.Reused} for as long as the record lives. Records are forgotten after the
 * retention; implementations never return one past it.
 */
public interface AnsweredWebhooks {

  /**
   * How long a claim holds an id before another delivery may take it over: longer than processing a
   * callback takes at worst (three AWS calls of at most 10 seconds each).
   */
  Duration DEFAULT_LEASE = Duration.ofSeconds(60);

  /** Claims {@code webhookId} for a delivery with this fingerprint. */
  WebhookClaim claim(String webhookId, WebhookFingerprint fingerprint);

  /**
   * Records the final answer of a won claim.
   *
   * @return false if the claim was lost meanwhile (its lease ran out and another delivery took it)
   */
  boolean answer(WebhookClaim.Claimed claim, WebhookAnswer answer);

  /** Gives up a won claim without an answer: the next delivery of the id is processed afresh. */
  void release(WebhookClaim.Claimed claim);
}
