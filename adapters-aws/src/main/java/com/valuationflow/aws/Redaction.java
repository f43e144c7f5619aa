package com.valuationflow.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes task tokens from text read back from Step Functions, as a second line of defence: the
 * adapters copy only fields that should never hold a token, and this blanks the value of any JSON
 * member whose name ends in "token" in case one does (also inside JSON escaped into a string).
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
}
