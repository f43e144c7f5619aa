package com.valuationflow.app.auth;

import com.valuationflow.app.AppConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who may call the loan API and see the execution view: bearer JWTs from an identity provider,
 * static API keys, either or both. Neither configured: the API and the view are open, which only
 * {@code MODE=inmemory} allows.
 *
 * @param jwt JWTs verified against the identity provider's published keys ({@code AUTH_JWKS_URL}
 *     and the {@code AUTH_JWT_...} settings)
 * @param apiKeys {@code API_KEYS}: static keys, stored as SHA-256 hashes
 */
public record AccessSettings(Optional<Jwt> jwt, Optional<ApiKeys> apiKeys) {

  /** The variables that turn access control on, as a start-up refusal names them. */
  public static final String VARIABLES = "AUTH_JWKS_URL or API_KEYS";

  /**
   * How JWTs are verified.
   *
   * @param jwksUrl {@code AUTH_JWKS_URL}, the identity provider's JSON Web Key Set: {@code https},
   *     or {@code http} on a loopback address only
   * @param issuer {@code AUTH_JWT_ISSUER}, the {@code iss} every token must carry
   * @param audience {@code AUTH_JWT_AUDIENCE}, a value the token's {@code aud} must contain
   * @param clockSkew {@code AUTH_JWT_CLOCK_SKEW_SECONDS}, how far {@code exp}, {@code nbf} and
   *     {@code iat} may be off our clock
   * @param readScope {@code AUTH_JWT_READ_SCOPE}, the scope that grants {@link Permission#READ}
   * @param submitScope {@code AUTH_JWT_SUBMIT_SCOPE}, the scope that grants {@link
   *     Permission#SUBMIT}
   * @param jwksMaxAge {@code AUTH_JWKS_MAX_AGE_SECONDS}, how long fetched keys are used before the
   *     set is fetched again
   * @param jwksMinRefetchInterval {@code AUTH_JWKS_MIN_REFETCH_SECONDS}, the least time between two
   *     fetches: a token naming an unknown key fetches the set again only after it
   */
  public record Jwt(
      URI jwksUrl,
      String issuer,
      String audience,
      Duration clockSkew,
      String readScope,
      String submitScope,
      Duration jwksMaxAge,
      Duration jwksMinRefetchInterval) {

    public Jwt {
      Objects.requireNonNull(jwksUrl, "'jwksUrl' must not be null");
      Objects.requireNonNull(issuer, "'issuer' must not be null");
      Objects.requireNonNull(audience, "'audience' must not be null");
      Objects.requireNonNull(clockSkew, "'clockSkew' must not be null");
      Objects.requireNonNull(readScope, "'readScope' must not be null");
      Objects.requireNonNull(submitScope, "'submitScope' must not be null");
      Objects.requireNonNull(jwksMaxAge, "'jwksMaxAge' must not be null");
      Objects.requireNonNull(jwksMinRefetchInterval, "'jwksMinRefetchInterval' must not be null");
      if (jwksMinRefetchInterval.compareTo(jwksMaxAge) > 0) {
        throw new IllegalArgumentException(
            "AUTH_JWKS_MIN_REFETCH_SECONDS must not be more than AUTH_JWKS_MAX_AGE_SECONDS");
      }
    }

    /** These settings with another key-set URL, issuer and audience; the defaults otherwise. */
    public static Jwt of(URI jwksUrl, String issuer, String audience) {
      return fromEnvironment(
              Map.of(
                  "AUTH_JWKS_URL", jwksUrl.toString(),
                  "AUTH_JWT_ISSUER", issuer,
                  "AUTH_JWT_AUDIENCE", audience))
          .orElseThrow();
    }

    static Optional<Jwt> fromEnvironment(Map<String, String> env) {
      Optional<URI> url = optional(env, "AUTH_JWKS_URL", AccessSettings::parseJwksUrl);
      if (url.isEmpty()) {
        for (String name :
            List.of(
                "AUTH_JWT_ISSUER",
                "AUTH_JWT_AUDIENCE",
                "AUTH_JWT_CLOCK_SKEW_SECONDS",
                "AUTH_JWT_READ_SCOPE",
                "AUTH_JWT_SUBMIT_SCOPE",
                "AUTH_JWKS_MAX_AGE_SECONDS",
                "AUTH_JWKS_MIN_REFETCH_SECONDS")) {
          if (optional(env, name, Function.identity()).isPresent()) {
            throw new IllegalArgumentException(name + " is set, but AUTH_JWKS_URL is not");
          }
        }
        return Optional.empty();
      }
      return Optional.of(
          new Jwt(
              url.get(),
              required(env, "AUTH_JWT_ISSUER"),
              required(env, "AUTH_JWT_AUDIENCE"),
              seconds(env, "AUTH_JWT_CLOCK_SKEW_SECONDS", 30, 0, 300),
              optional(env, "AUTH_JWT_READ_SCOPE", AccessSettings::scope).orElse("loans.read"),
              optional(env, "AUTH_JWT_SUBMIT_SCOPE", AccessSettings::scope).orElse("loans.submit"),
              seconds(env, "AUTH_JWKS_MAX_AGE_SECONDS", 600, 1, 86_400),
              seconds(env, "AUTH_JWKS_MIN_REFETCH_SECONDS", 30, 1, 86_400)));
    }
  }

  public AccessSettings {
    Objects.requireNonNull(jwt, "'jwt' must not be null");
    Objects.requireNonNull(apiKeys, "'apiKeys' must not be null");
  }

  /** No access control: the API and the view are open. */
  public static AccessSettings open() {
    return new AccessSettings(Optional.empty(), Optional.empty());
  }

  public boolean configured() {
    return jwt.isPresent() || apiKeys.isPresent();
  }

  /**
   * Reads the settings; an invalid one stops start-up with a message naming the variable (never
   * quoting {@code API_KEYS}).
   */
  public static AccessSettings fromEnvironment(Map<String, String> env) {
    return new AccessSettings(Jwt.fromEnvironment(env), optional(env, "API_KEYS", ApiKeys::parse));
  }

  private static URI parseJwksUrl(String text) {
    URI uri = URI.create(text);
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException("must be an absolute https URL");
    }
    if ("https".equals(uri.getScheme())) {
      return uri;
    }
    if ("http".equals(uri.getScheme()) && loopback(uri.getHost())) {
      return uri;
    }
    throw new IllegalArgumentException("must be an https URL (http only on a loopback address)");
  }

  private static boolean loopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:.]+\\]")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String scope(String text) {
    if (!text.matches("[\\x21\\x23-\\x5b\\x5d-\\x7e]+")) {
      throw new IllegalArgumentException("must be one OAuth scope (visible ASCII, no spaces)");
    }
    return text;
  }

  private static String required(Map<String, String> env, String name) {
    return optional(env, name, Function.identity())
        .orElseThrow(
            () -> new IllegalArgumentException(name + " must be set when AUTH_JWKS_URL is"));
  }

  private static Duration seconds(
      Map<String, String> env, String name, int defaultValue, int min, int max) {
    return Duration.ofSeconds(
        optional(env, name, text -> AppConfig.parseInt(text, min, max)).orElse(defaultValue));
  }

  /** The variable's value parsed, if set; a parse failure names it, without quoting the value. */
  private static <T> Optional<T> optional(
      Map<String, String> env, String name, Function<String, T> parser) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(text.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is invalid: " + e.getMessage(), e);
    }
  }
}
