package com.valuationflow.app.auth;

import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The identity provider's keys, fetched from its JWKS URL and cached. The set is fetched again when
 * it is older than the maximum age, or when a token names a key it does not hold (the provider
 * rotated its keys): either at most once per minimum interval, so that tokens with made-up key ids
 * cannot make us hammer the provider. Concurrent requests share one fetch. A failed fetch keeps the
 * keys already held; with none, JWTs cannot be verified until a fetch succeeds.
 */
final class JwksKeySource {

  private static final System.Logger LOG = System.getLogger(JwksKeySource.class.getName());
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

  private final WebClient client;
  private final URI url;
  private final Duration maxAge;
  private final Duration minRefetchInterval;
  private final Clock clock;

  private JsonWebKeys keys;
  private Instant fetchedAt;
  private Instant attemptedAt;
  private Future<JsonWebKeys> fetching;

  JwksKeySource(
      WebClient client, URI url, Duration maxAge, Duration minRefetchInterval, Clock clock) {
    this.client = Objects.requireNonNull(client, "'client' must not be null");
    this.url = Objects.requireNonNull(url, "'url' must not be null");
    this.maxAge = Objects.requireNonNull(maxAge, "'maxAge' must not be null");
    this.minRefetchInterval =
        Objects.requireNonNull(minRefetchInterval, "'minRefetchInterval' must not be null");
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
  }

  /**
   * The keys held, fetched first if there are none or they are older than the maximum age (and the
   * last attempt is older than the minimum interval). Fails only when no keys were ever fetched.
   */
  synchronized Future<JsonWebKeys> current() {
    Instant now = clock.instant();
    boolean stale = fetchedAt == null || !now.isBefore(fetchedAt.plus(maxAge));
    return stale && mayFetch(now) ? fetch() : held();
  }

  /**
   * The keys after a token named a key id they do not hold: fetched again unless the last attempt
   * was within the minimum interval.
   */
  synchronized Future<JsonWebKeys> afterUnknownKey() {
    return mayFetch(clock.instant()) ? fetch() : held();
  }

  private boolean mayFetch(Instant now) {
    return fetching != null
        || attemptedAt == null
        || !now.isBefore(attemptedAt.plus(minRefetchInterval));
  }

  private Future<JsonWebKeys> held() {
    if (fetching != null) {
      return fetching;
    }
    return keys == null
        ? Future.failedFuture(new IllegalStateException("the identity provider's keys are unknown"))
        : Future.succeededFuture(keys);
  }

  /** Starts a fetch, or joins the one under way. */
  private Future<JsonWebKeys> fetch() {
    if (fetching != null) {
      return fetching;
    }
    attemptedAt = clock.instant();
    Future<JsonWebKeys> fetch =
        client
            .getAbs(url.toString())
            .putHeader("Accept", "application/json")
            .timeout(FETCH_TIMEOUT.toMillis())
            .send()
            .map(
                response -> {
                  if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode());
                  }
                  return JsonWebKeys.parse(
                      response.body() == null ? new byte[0] : response.body().getBytes());
                });
    Future<JsonWebKeys> shared = fetch.transform(result -> settle(result.result(), result.cause()));
    if (!shared.isComplete()) {
      fetching = shared;
    }
    return shared;
  }

  private synchronized Future<JsonWebKeys> settle(JsonWebKeys fetched, Throwable failure) {
    fetching = null;
    if (failure == null) {
      keys = fetched;
      fetchedAt = clock.instant();
      LOG.log(System.Logger.Level.INFO, "Fetched {0} signing keys from {1}", fetched.size(), url);
      return Future.succeededFuture(fetched);
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "Could not fetch the signing keys from {0}: {1}{2}",
        url,
        failure.getMessage(),
        keys == null ? "" : " (the keys fetched before stay in use)");
    return held();
  }
}
