package com.valuationflow.app.logging;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the app logs, read from environment variables; an unknown value stops start-up with a message
 * naming the variable.
 *
 * @param format {@code LOG_FORMAT}: {@code text} (default), human-readable lines, or {@code json},
 *     one JSON object per line
 * @param level {@code LOG_LEVEL}: the least severe level written, {@code INFO} by default; one of
 *     {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR}, {@code OFF}
 */
public record LoggingSettings(Format format, String level) {

  /** The levels {@code LOG_LEVEL} may name, most verbose first. */
  private static final java.util.List<String> LEVELS =
      java.util.List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /** How each line is written. */
  public enum Format {
    /** A timestamp, the level, the logger and the message, for people. */
    TEXT,
    /** One JSON object per line, for log pipelines. */
    JSON
  }

  public LoggingSettings {
    Objects.requireNonNull(format, "'format' must not be null");
    Objects.requireNonNull(level, "'level' must not be null");
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("LOG_LEVEL must be one of " + LEVELS);
    }
  }

  public static final LoggingSettings DEFAULTS = new LoggingSettings(Format.TEXT, "INFO");

  /**
   * The settings in these variables.
   *
   * @throws IllegalArgumentException naming the variable, if a value is unknown
   */
  public static LoggingSettings fromEnvironment(Map<String, String> env) {
    return new LoggingSettings(
        read(env, "LOG_FORMAT", "text", LoggingSettings::parseFormat),
        read(env, "LOG_LEVEL", "INFO", LoggingSettings::parseLevel));
  }

  private static Format parseFormat(String text) {
    try {
      return Format.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be 'text' or 'json'", e);
    }
  }

  private static String parseLevel(String text) {
    String level = text.toUpperCase(Locale.ROOT);
    if (level.equals("WARNING")) {
      return "WARN";
    }
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("must be one of " + String.join(", ", LEVELS));
    }
    return level;
  }

  private static <T> T read(
      Map<String, String> env,
      String name,
      String defaultValue,
      java.util.function.Function<String, T> parser) {
    String text = env.get(name);
    String value = text == null || text.isBlank() ? defaultValue : text.strip();
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + " is invalid: " + e.getMessage() + " (was '" + value + "')", e);
    }
  }
}
