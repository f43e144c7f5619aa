package com.valuationflow.inmemory.workflow;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Issues task tokens: {@value #PREFIX} and 32 random bytes from {@link SecureRandom} in URL-safe
 * Base64, so a token cannot be guessed and a malformed one is recognised without a lookup.
 */
final class TaskTokens {

  static final String PREFIX = "vfwt1.";
  private static final int RANDOM_BYTES = 32;
  private static final Pattern FORMAT =
      Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");

  private final SecureRandom random = new SecureRandom();

  String next() {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static boolean isWellFormed(String token) {
    return token != null && FORMAT.matcher(token).matches();
  }
}
