package com.valuationflow.app.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the view writes times, durations and JSON, and what it keeps out of them. */
final class Texts {

  static final String REDACTED = "[REDACTED]";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_SHOWN = 4000;

  /** JSON members named like a token or a correlation key, also inside escaped JSON. */
  private static final Pattern SECRET_MEMBER =
      Pattern.compile(
          "(\\\\?\"(?i:[a-z0-9_-]*token|correlation[a-z0-9_-]*)\\\\?\"\\s*:\\s*\\\\?\")[^\"\\\\]*");

  /** A correlation key in a query string, as callback URLs carry it. */
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("((?i:correlationId)=)[^&\\s\"\\\\]*");

  private Texts() {}

  static String time(Instant instant) {
    return TIME.format(instant);
  }

  static String duration(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 10_000) {
      return String.format("%.1f s", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return (seconds / 60) + " min " + (seconds % 60) + " s";
    }
    return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
  }

  /** The text with task tokens and correlation keys blanked out. */
  static String redact(String text) {
    String safe = SECRET_MEMBER.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
    return SECRET_PARAMETER.matcher(safe).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
  }

  /** JSON indented for reading (or the text itself if it is not JSON), redacted and bounded. */
  static String pretty(String json) {
    String shown;
    try {
      JsonNode node = MAPPER.readTree(json);
      shown =
          node == null ? json : MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (IOException | RuntimeException notJson) {
      shown = json;
    }
    shown = redact(shown);
    return shown.length() <= MAX_SHOWN
        ? shown
        : shown.substring(0, MAX_SHOWN) + "\n… (" + (shown.length() - MAX_SHOWN) + " more)";
  }
}
