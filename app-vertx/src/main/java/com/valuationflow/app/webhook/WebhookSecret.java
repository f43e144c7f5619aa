package com.valuationflow.app.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One symmetric signing secret, written {@code whsec_<base64>} as the specification serialises it:
 * 24 to 64 random bytes. The key never leaves this class, and {@link #toString()} redacts it.
 */
public final class WebhookSecret {

  public static final String PREFIX = "whsec_";

  static final int MIN_BYTES = 24;
  static final int MAX_BYTES = 64;

  private static final int GENERATED_BYTES = 32;
  private static final String HMAC_SHA256 = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  /** A MAC keyed once per thread: looking the algorithm up and keying it cost more than signing. */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  private WebhookSecret(byte[] key) {
    this.key = key;
  }

  /**
   * Reads {@code whsec_<base64>}. The exception's message never quotes the text, so that a mistyped
   * secret does not end up in a log.
   */
  public static WebhookSecret parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a secret must start with " + PREFIX);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a secret must be " + PREFIX + " followed by base64");
    }
    if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "a secret must hold " + MIN_BYTES + " to " + MAX_BYTES + " bytes");
    }
    return new WebhookSecret(key);
  }

  /** A fresh random secret of 32 bytes. */
  public static WebhookSecret generate() {
    byte[] key = new byte[GENERATED_BYTES];
    RANDOM.nextBytes(key);
    return new WebhookSecret(key);
  }

  /** HMAC-SHA256 of {@code {id}.{timestamp}.{body}}, over the body's bytes as they travel. */
  byte[] mac(String id, String timestamp, byte[] body) {
    Mac mac = macs.get();
    mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return mac.doFinal(body);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(new SecretKeySpec(key, HMAC_SHA256));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return PREFIX + "[redacted]";
  }
}
