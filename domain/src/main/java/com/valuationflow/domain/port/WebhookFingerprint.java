package com.valuationflow.domain.port;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a callback carries, as a SHA-256 digest (lower-case hex) of its correlation key and raw
 * body: a {@code webhook-id} is bound to one fingerprint.
 */
public record WebhookFingerprint(String hex) {

  private static final Pattern SHA_256_HEX = Pattern.compile("[0-9a-f]{64}");

  public WebhookFingerprint {
    Objects.requireNonNull(hex, "'hex' must not be null");
    if (!SHA_256_HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("'hex' must be a SHA-256 digest in lower-case hex");
    }
  }

  /**
   * The fingerprint of a callback.
   *
   * @param correlationKey the {@code correlationId} as received, or an empty string if absent
   * @param body the raw body bytes
   */
  public static WebhookFingerprint of(String correlationKey, byte[] body) {
    Objects.requireNonNull(correlationKey, "'correlationKey' must not be null");
    Objects.requireNonNull(body, "'body' must not be null");
    byte[] key = correlationKey.getBytes(StandardCharsets.UTF_8);
    MessageDigest sha256 = sha256();
    sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(key.length).array());
    sha256.update(key);
    sha256.update(body);
    return new WebhookFingerprint(HexFormat.of().formatHex(sha256.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
