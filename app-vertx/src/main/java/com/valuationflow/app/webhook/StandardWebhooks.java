package com.valuationflow.app.webhook;

/**
 * The header names of the <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>
 * specification (1.0): the sender signs {@code {webhook-id}.{webhook-timestamp}.{body}} with
 * HMAC-SHA256 and sends {@code v1,<base64 signature>}.
 */
public final class StandardWebhooks {

  /** The message's id: the same for every delivery attempt of one message. */
  public static final String ID = "webhook-id";

  /** When this delivery attempt was signed, in whole Unix seconds. */
  public static final String TIMESTAMP = "webhook-timestamp";

  /** Space-separated {@code v1,<base64>} signatures, several while the sender rotates secrets. */
  public static final String SIGNATURE = "webhook-signature";

  static final String SIGNATURE_VERSION = "v1";

  private StandardWebhooks() {}
}
