package com.valuationflow.aws;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Keeps task tokens out of what the adapters let out. Text read back from Step Functions is a
 * second line of defence: the adapters copy only fields that should never hold a token, and {@link
 * #redactTokens} blanks the value of any JSON member whose name ends in "token" in case one does
 * (also inside JSON escaped into a string). SDK errors are summarised by {@link #summary}, and
 * {@link #mentions} tells whether an exception may be kept as a cause.
 */
final class Redaction {

  static final String REDACTED = "[REDACTED]";

  private static final Pattern TOKEN_MEMBER =
      Pattern.compile("(\\\\?\"(?i:[a-z0-9_-]*token)\\\\?\"\\s*:\\s*\\\\?\")[^\"\\\\]*");

  private Redaction() {}

  static String redactTokens(String text) {
    if (text == null) {
      return null;
    }
    return TOKEN_MEMBER.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
  }

  /** The text with every occurrence of the secret replaced by its redacted form. */
  static String without(String text, String secret, String redacted) {
    return text == null ? null : text.replace(secret, redacted);
  }

  /**
   * An SDK error for an exception message: the service's error code, HTTP status, request id and
   * message, or the client exception, and the number of attempts. It may quote the request: remove
   * secrets from it.
   */
  static String summary(SdkException e) {
    StringBuilder summary = new StringBuilder();
    if (e instanceof AwsServiceException service) {
      AwsErrorDetails details = service.awsErrorDetails();
      String code = details == null ? null : details.errorCode();
      summary
          .append(code == null ? "unknown error" : code)
          .append(" (HTTP ")
          .append(service.statusCode())
          .append(", request id ")
          .append(service.requestId())
          .append(")");
      String message = details == null ? null : details.errorMessage();
      if (message != null) {
        summary.append(": ").append(message);
      }
    } else {
      summary.append(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
    }
    if (e.numAttempts() != null) {
      summary.append(" [attempts: ").append(e.numAttempts()).append("]");
    }
    return summary.toString();
  }

  /** Whether the secret occurs in the throwable, its causes or its suppressed exceptions. */
  static boolean mentions(Throwable throwable, String secret) {
    return mentions(throwable, secret, Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static boolean mentions(Throwable throwable, String secret, Set<Throwable> seen) {
    if (throwable == null || !seen.add(throwable)) {
      return false;
    }
    if (String.valueOf(throwable.getMessage()).contains(secret)
        || String.valueOf(throwable).contains(secret)) {
      return true;
    }
    for (Throwable suppressed : throwable.getSuppressed()) {
      if (mentions(suppressed, secret, seen)) {
        return true;
      }
    }
    return mentions(throwable.getCause(), secret, seen);
  }
}
