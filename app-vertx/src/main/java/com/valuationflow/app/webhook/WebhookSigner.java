package com.valuationflow.app.webhook;

import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Signs outgoing callbacks the Standard Webhooks way, with one secret. */
public final class WebhookSigner {

  private final WebhookSecret secret;
  private final Clock clock;

  public WebhookSigner(WebhookSecret secret, Clock clock) {
    this.secret = Objects.requireNonNull(secret, "'secret' must not be null");
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
  }

  /** A new message's id; every delivery attempt of that message carries the same one. */
  public static String newMessageId() {
    return "msg_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** The three headers of one delivery attempt of message {@code id}, timestamped now. */
  public Map<String, String> headers(String id, byte[] body) {
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(StandardWebhooks.ID, id);
    headers.put(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
    headers.put(StandardWebhooks.SIGNATURE, signature(id, timestamp, body));
    return headers;
  }

  /** {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}. */
  public String signature(String id, long timestamp, byte[] body) {
    return StandardWebhooks.SIGNATURE_VERSION
        + ","
        + Base64.getEncoder().encodeToString(secret.mac(id, Long.toString(timestamp), body));
  }
}
