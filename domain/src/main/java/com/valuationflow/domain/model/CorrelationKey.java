package com.valuationflow.domain.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Our own key for one valuation request: the token is parked under it before the valuer is asked,
 * and it travels in the callback URL, so a callback finds its task even before the valuer has told
 * us its reference. 1 to 256 URL-safe characters.
 */
public record CorrelationKey(String value) {

  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._~-]{1,256}");

  public CorrelationKey {
    Validation.requireMatch(
        value, "correlationKey", FORMAT, "1 to 256 letters, digits, '.', '_', '~' or '-'");
  }

  public static CorrelationKey of(String value) {
    return new CorrelationKey(value);
  }

  /**
   * The key of the task that waits on the token: 128 bits of the token's SHA-256 digest. The same
   * task always gets the same key, so a task delivered twice is requested once; the key reveals
   * nothing of the token and cannot be guessed without it.
   */
  public static CorrelationKey forTask(TaskToken token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  ("valuationflow-correlation:" + token.value()).getBytes(StandardCharsets.UTF_8));
      return new CorrelationKey(
          "c-" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
