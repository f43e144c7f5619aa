package com.valuationflow.app.webhook;

/** A callback that is not authentic, or not fresh; the message says why without quoting secrets. */
public final class WebhookRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why the callback is refused. */
  public enum Reason {
    /** A header is missing or malformed, or no signature matches any secret. */
    INVALID_SIGNATURE,
    /** Authentic, but signed outside the tolerance window: a replay, or a skewed clock. */
    STALE_TIMESTAMP
  }

  private final Reason reason;

  WebhookRejectedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
