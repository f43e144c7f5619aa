package com.valuationflow.domain.model;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Our own key for one application's valuation: the task's token is parked under it before the
 * valuer is asked, and it travels in the callback URL, so a callback finds its task even before the
 * valuer has told us its reference. Every attempt to request the valuation uses the same key, which
 * is also the request's idempotency key. 1 to 256 URL-safe characters.
 */
public record CorrelationKey(String value) {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._~-]{1,256}");

  public CorrelationKey {
    Validation.requireMatch(
        value, "correlationKey", FORMAT, "1 to 256 letters, digits, '.', '_', '~' or '-'");
  }

  public static CorrelationKey of(String value) {
    return new CorrelationKey(value);
  }

  /**
   * A new key: 128 random bits, so it cannot be guessed. One application's valuation keeps the key
   * it was first given across every attempt to request it (see {@code TaskTokenStore}).
   */
  public static CorrelationKey random() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return new CorrelationKey("c-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits));
  }

  @Override
  public String toString() {
    return value;
  }
}
