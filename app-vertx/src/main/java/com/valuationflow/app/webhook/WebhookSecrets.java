package com.valuationflow.app.webhook;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The secrets callbacks are verified with: every one is accepted, so that a secret can be rotated
 * without downtime; the first signs. {@link #toString()} redacts them.
 */
public final class WebhookSecrets {

  private final List<WebhookSecret> secrets;

  private WebhookSecrets(List<WebhookSecret> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one secret is required");
    }
    this.secrets = List.copyOf(secrets);
  }

  public static WebhookSecrets of(WebhookSecret signing, WebhookSecret... alsoAccepted) {
    Objects.requireNonNull(signing, "'signing' must not be null");
    WebhookSecret[] all = new WebhookSecret[alsoAccepted.length + 1];
    all[0] = signing;
    System.arraycopy(alsoAccepted, 0, all, 1, alsoAccepted.length);
    return new WebhookSecrets(Arrays.asList(all));
  }

  /** Reads {@code whsec_} secrets separated by spaces or commas; never quotes them when failing. */
  public static WebhookSecrets parse(String text) {
    return new WebhookSecrets(
        Arrays.stream(text.strip().split("[\\s,]+"))
            .filter(secret -> !secret.isEmpty())
            .map(WebhookSecret::parse)
            .toList());
  }

  public static WebhookSecrets generate() {
    return of(WebhookSecret.generate());
  }

  /** The secret outgoing callbacks are signed with. */
  public WebhookSecret signing() {
    return secrets.get(0);
  }

  public List<WebhookSecret> all() {
    return secrets;
  }

  @Override
  public String toString() {
    return "WebhookSecrets[" + secrets.size() + " redacted]";
  }
}
