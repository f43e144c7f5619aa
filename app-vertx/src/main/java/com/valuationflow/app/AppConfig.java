package com.valuationflow.app;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The app's settings, read from environment variables. Every variable is optional; a value that
 * does not parse stops start-up with a message naming the variable.
 *
 * @param port {@code PORT}, the HTTP port; 0 picks a free one
 * @param publicBaseUrl {@code PUBLIC_BASE_URL}, how valuers reach this app; the callback URL is
 *     built from it. Empty: {@code http://localhost:<port>}
 * @param valuerUrl {@code VALUER_URL}, where valuations are requested. Empty: this app's own mock
 *     valuer
 * @param valuerDelay {@code VALUER_DELAY_MS}, how long the mock valuer takes before calling back
 * @param valuerTimeout {@code VALUER_TIMEOUT_MS}, how long to wait for the valuer's reply
 * @param valuationTimeout {@code VALUATION_TIMEOUT_SECONDS}, how long a loan application waits for
 *     its valuation
 */
public record AppConfig(
    int port,
    Optional<URI> publicBaseUrl,
    Optional<URI> valuerUrl,
    Duration valuerDelay,
    Duration valuerTimeout,
    Duration valuationTimeout,
    Duration secondLength) {

  public static final String WEBHOOK_PATH = "/webhooks/valuations";
  public static final String MOCK_VALUER_PATH = "/valuer/valuations";

  public AppConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("PORT must be between 0 and 65535, was " + port);
    }
    Objects.requireNonNull(publicBaseUrl, "'publicBaseUrl' must not be null");
    Objects.requireNonNull(valuerUrl, "'valuerUrl' must not be null");
    Objects.requireNonNull(valuerDelay, "'valuerDelay' must not be null");
    Objects.requireNonNull(valuerTimeout, "'valuerTimeout' must not be null");
    Objects.requireNonNull(valuationTimeout, "'valuationTimeout' must not be null");
    Objects.requireNonNull(secondLength, "'secondLength' must not be null");
  }

  /** The defaults, as documented in the README. */
  public static AppConfig defaults() {
    return fromEnvironment(Map.of());
  }

  public static AppConfig fromEnvironment(Map<String, String> env) {
    return new AppConfig(
        read(env, "PORT", "8080", text -> parseInt(text, 0, 65_535)),
        readOptional(env, "PUBLIC_BASE_URL", AppConfig::parseHttpUrl),
        readOptional(env, "VALUER_URL", AppConfig::parseHttpUrl),
        read(
            env,
            "VALUER_DELAY_MS",
            "6000",
            text -> Duration.ofMillis(parseInt(text, 0, 86_400_000))),
        read(
            env,
            "VALUER_TIMEOUT_MS",
            "10000",
            text -> Duration.ofMillis(parseInt(text, 1, 600_000))),
        read(
            env,
            "VALUATION_TIMEOUT_SECONDS",
            "3600",
            text -> Duration.ofSeconds(parseInt(text, 1, 31_536_000))),
        Duration.ofSeconds(1));
  }

  public AppConfig withPort(int port) {
    return new AppConfig(
        port, publicBaseUrl, valuerUrl, valuerDelay, valuerTimeout, valuationTimeout, secondLength);
  }

  public AppConfig withValuerDelay(Duration valuerDelay) {
    return new AppConfig(
        port, publicBaseUrl, valuerUrl, valuerDelay, valuerTimeout, valuationTimeout, secondLength);
  }

  public AppConfig withValuerUrl(URI valuerUrl) {
    return new AppConfig(
        port,
        publicBaseUrl,
        Optional.of(valuerUrl),
        valuerDelay,
        valuerTimeout,
        valuationTimeout,
        secondLength);
  }

  /** Compresses time for tests: timeouts and retry intervals of the definition scale with it. */
  public AppConfig withTimeCompressedTo(Duration secondLength, Duration valuationTimeout) {
    return new AppConfig(
        port, publicBaseUrl, valuerUrl, valuerDelay, valuerTimeout, valuationTimeout, secondLength);
  }

  /** How long, in real time, an application waits for its valuation. */
  public Duration realValuationTimeout() {
    return secondLength.multipliedBy(valuationTimeout.toSeconds());
  }

  /** The base URL valuers call back on, once the actual port is known. */
  public URI baseUrl(int actualPort) {
    return publicBaseUrl.orElseGet(() -> URI.create("http://localhost:" + actualPort));
  }

  public URI callbackUrl(int actualPort) {
    return resolve(baseUrl(actualPort), WEBHOOK_PATH);
  }

  public URI effectiveValuerUrl(int actualPort) {
    return valuerUrl.orElseGet(
        () -> resolve(URI.create("http://localhost:" + actualPort), MOCK_VALUER_PATH));
  }

  private static URI resolve(URI base, String path) {
    String text = base.toString();
    return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + path);
  }

  private static <T> T read(
      Map<String, String> env, String name, String defaultValue, Function<String, T> parser) {
    String text = env.get(name);
    return parse(name, text == null || text.isBlank() ? defaultValue : text.strip(), parser);
  }

  private static <T> Optional<T> readOptional(
      Map<String, String> env, String name, Function<String, T> parser) {
    String text = env.get(name);
    return text == null || text.isBlank()
        ? Optional.empty()
        : Optional.of(parse(name, text.strip(), parser));
  }

  private static <T> T parse(String name, String text, Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + " is invalid: " + e.getMessage() + " (was '" + text + "')", e);
    }
  }

  private static int parseInt(String text, int min, int max) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number", e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("must be between " + min + " and " + max);
    }
    return value;
  }

  private static URI parseHttpUrl(String text) {
    URI uri = URI.create(text);
    if (!uri.isAbsolute()
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("must be an absolute http(s) URL");
    }
    return uri;
  }
}
