package com.valuationflow.app.webhook;

import com.valuationflow.app.webhook.WebhookRejectedException.Reason;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Verifies a callback's Standard Webhooks signature over the body's raw bytes, against every
 * configured secret, in constant time, and checks that it was signed within the tolerance of our
 * clock, in either direction. Written here rather than taken from {@code com.standardwebhooks}
 * because that library verifies a body given as a {@code String} (not the bytes received) and reads
 * the system clock.
 */
public final class WebhookVerifier {

  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  /** Visible ASCII without {@code .}, so that the signed content splits one way only. */
  private static final Pattern ID = Pattern.compile("[\\x21-\\x2D\\x2F-\\x7E]{1,256}");

  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,15}");

  private final List<WebhookSecret> secrets;
  private final long toleranceSeconds;
  private final Clock clock;

  public WebhookVerifier(WebhookSecrets secrets, Duration tolerance, Clock clock) {
    this.secrets = Objects.requireNonNull(secrets, "'secrets' must not be null").all();
    this.toleranceSeconds =
        Objects.requireNonNull(tolerance, "'tolerance' must not be null").toSeconds();
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
  }

  /**
   * @param id the {@code webhook-id} header, or {@code null}
   * @param timestamp the {@code webhook-timestamp} header, or {@code null}
   * @param signatures the {@code webhook-signature} header, or {@code null}
   * @param body the body exactly as received
   * @return the verified {@code webhook-id}
   */
  public String verify(String id, String timestamp, String signatures, byte[] body)
      throws WebhookRejectedException {
    require(StandardWebhooks.ID, id);
    require(StandardWebhooks.TIMESTAMP, timestamp);
    require(StandardWebhooks.SIGNATURE, signatures);
    if (!ID.matcher(id).matches()) {
      throw invalid(
          StandardWebhooks.ID + " must be 1 to 256 visible ASCII characters other than '.'");
    }
    if (!TIMESTAMP.matcher(timestamp).matches()) {
      throw invalid(StandardWebhooks.TIMESTAMP + " must be whole Unix seconds");
    }
    if (!anyMatches(signatures, id, timestamp, body)) {
      throw invalid("No v1 signature in " + StandardWebhooks.SIGNATURE + " matches this callback");
    }
    if (Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp)) > toleranceSeconds) {
      throw new WebhookRejectedException(
          Reason.STALE_TIMESTAMP,
          StandardWebhooks.TIMESTAMP
              + " is more than "
              + toleranceSeconds
              + " seconds away from the receiver's clock");
    }
    return id;
  }

  private boolean anyMatches(String signatures, String id, String timestamp, byte[] body) {
    List<byte[]> candidates =
        Arrays.stream(signatures.split(" "))
            .map(WebhookVerifier::v1Signature)
            .filter(Objects::nonNull)
            .toList();
    if (candidates.isEmpty()) {
      return false;
    }
    for (WebhookSecret secret : secrets) {
      byte[] expected = secret.mac(id, timestamp, body);
      for (byte[] candidate : candidates) {
        if (MessageDigest.isEqual(expected, candidate)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The decoded signature of a {@code v1,<base64>} entry; {@code null} for any other entry. */
  private static byte[] v1Signature(String entry) {
    String prefix = StandardWebhooks.SIGNATURE_VERSION + ",";
    if (!entry.startsWith(prefix)) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(entry.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void require(String header, String value) throws WebhookRejectedException {
    if (value == null || value.isEmpty()) {
      throw invalid("The " + header + " header is missing");
    }
  }

  private static WebhookRejectedException invalid(String message) {
    return new WebhookRejectedException(Reason.INVALID_SIGNATURE, message);
  }
}
