package com.valuationflow.inmemory.workflow;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues task tokens: {@value #PREFIX} and 32 bytes in URL-safe Base64, 16 of them from {@link
 * SecureRandom} and 16 an HMAC-SHA256 of those under a key of this issuer's own. A token cannot be
 * guessed, a malformed one is recognised without a lookup, and the issuer recognises its tokens
 * without remembering them, even once their execution is forgotten.
 */
final class TaskTokens {

  static final String PREFIX = "vfwt1.";
  private static final int RANDOM_BYTES = 16;
  private static final int MAC_BYTES = 16;
  private static final String HMAC = "HmacSHA256";
  private static final Pattern FORMAT =
      Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");

  private final SecureRandom random = new SecureRandom();
  private final Mac mac;

  TaskTokens() {
    byte[] key = new byte[32];
    random.nextBytes(key);
    try {
      mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  String next() {
    byte[] bytes = new byte[RANDOM_BYTES + MAC_BYTES];
    random.nextBytes(bytes);
    System.arraycopy(sign(bytes), 0, bytes, RANDOM_BYTES, MAC_BYTES);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether this issuer issued the token, whatever became of it since. */
  boolean issued(String token) {
    if (!isWellFormed(token)) {
      return false;
    }
    byte[] bytes = Base64.getUrlDecoder().decode(token.substring(PREFIX.length()));
    byte[] expected = Arrays.copyOf(sign(bytes), MAC_BYTES);
    return MessageDigest.isEqual(
        expected, Arrays.copyOfRange(bytes, RANDOM_BYTES, RANDOM_BYTES + MAC_BYTES));
  }

  static boolean isWellFormed(String token) {
    return token != null && FORMAT.matcher(token).matches();
  }

  /** The MAC of the token's random part. */
  private byte[] sign(byte[] bytes) {
    synchronized (mac) {
      mac.update(bytes, 0, RANDOM_BYTES);
      return mac.doFinal();
    }
  }
}
