package com.valuationflow.app;

import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the HTTP server allows a client, read from environment variables with the defaults below.
 * Request bodies have their own limit, {@link
 * com.valuationflow.app.http.ApiRouter#BODY_LIMIT_BYTES}.
 *
 * @param idleTimeout {@code HTTP_IDLE_TIMEOUT_SECONDS}, how long a connection may carry nothing
 *     either way before it is closed; the view's live streams write at least every 15 s
 * @param requestTimeout {@code HTTP_REQUEST_TIMEOUT_SECONDS}, how long a request may wait for its
 *     answer to start, after which it gets {@code 503} {@code /problems/request-timeout}; a live
 *     stream starts at once and is not cut
 * @param maxInitialLineLength {@code HTTP_MAX_INITIAL_LINE_BYTES}, the longest request line
 *     (method, path and query); longer ones get {@code 414}
 * @param maxHeaderSize {@code HTTP_MAX_HEADER_BYTES}, the most bytes of headers; more get {@code
 *     431}
 */
public record HttpLimits(
    Duration idleTimeout, Duration requestTimeout, int maxInitialLineLength, int maxHeaderSize) {

  public static final HttpLimits DEFAULTS =
      new HttpLimits(Duration.ofSeconds(60), Duration.ofSeconds(30), 4_096, 8_192);

  public HttpLimits {
    Objects.requireNonNull(idleTimeout, "'idleTimeout' must not be null");
    Objects.requireNonNull(requestTimeout, "'requestTimeout' must not be null");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("HTTP_IDLE_TIMEOUT_SECONDS must be positive");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("HTTP_REQUEST_TIMEOUT_SECONDS must be positive");
    }
    if (maxInitialLineLength < 256) {
      throw new IllegalArgumentException("HTTP_MAX_INITIAL_LINE_BYTES must be at least 256");
    }
    if (maxHeaderSize < 1_024) {
      throw new IllegalArgumentException("HTTP_MAX_HEADER_BYTES must be at least 1024");
    }
  }

  static HttpLimits fromEnvironment(Map<String, String> env) {
    return new HttpLimits(
        AppConfig.read(
            env,
            "HTTP_IDLE_TIMEOUT_SECONDS",
            Long.toString(DEFAULTS.idleTimeout.toSeconds()),
            text -> Duration.ofSeconds(AppConfig.parseInt(text, 1, 86_400))),
        AppConfig.read(
            env,
            "HTTP_REQUEST_TIMEOUT_SECONDS",
            Long.toString(DEFAULTS.requestTimeout.toSeconds()),
            text -> Duration.ofSeconds(AppConfig.parseInt(text, 1, 3_600))),
        AppConfig.read(
            env,
            "HTTP_MAX_INITIAL_LINE_BYTES",
            Integer.toString(DEFAULTS.maxInitialLineLength),
            text -> AppConfig.parseInt(text, 256, 65_536)),
        AppConfig.read(
            env,
            "HTTP_MAX_HEADER_BYTES",
            Integer.toString(DEFAULTS.maxHeaderSize),
            text -> AppConfig.parseInt(text, 1_024, 262_144)));
  }

  /** The server's options with these limits. */
  public HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setIdleTimeout((int) idleTimeout.toMillis())
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setMaxInitialLineLength(maxInitialLineLength)
        .setMaxHeaderSize(maxHeaderSize);
  }
}
