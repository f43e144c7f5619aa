package com.valuationflow.app.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies a signed JWT (RFC 7519, JWS compact serialization) against the identity provider's keys:
 * an asymmetric algorithm ({@code RS256/384/512}, {@code ES256/384/512}; never {@code none} or an
 * HMAC), a {@code kid} naming a key of the set, the signature, then the claims: {@code iss} equal
 * to the issuer, {@code aud} containing the audience, {@code exp} present and not passed, {@code
 * nbf} and {@code iat} not in the future, each within the clock skew. Scopes ({@code scope}, a
 * space-separated string, or {@code scp}, a string or an array) give the permissions.
 */
final class JwtVerifier {

  /** Longer tokens are refused unread. */
  static final int MAX_TOKEN_LENGTH = 8 * 1024;

  private static final Map<String, String> JCA_ALGORITHMS =
      Map.of(
          "RS256", "SHA256withRSA",
          "RS384", "SHA384withRSA",
          "RS512", "SHA512withRSA",
          "ES256", "SHA256withECDSAinP1363Format",
          "ES384", "SHA384withECDSAinP1363Format",
          "ES512", "SHA512withECDSAinP1363Format");

  private static final Map<String, String> EC_CURVES =
      Map.of("ES256", "P-256", "ES384", "P-384", "ES512", "P-521");

  /** What a token proved: a caller, a key id the set does not hold (yet), or nothing. */
  sealed interface Outcome {}

  record Verified(Caller caller) implements Outcome {}

  record UnknownKey(String kid) implements Outcome {}

  /** Why a token was refused, for the log only: callers are told nothing more than 401. */
  record Rejected(String reason) implements Outcome {}

  private final AccessSettings.Jwt settings;
  private final Clock clock;

  JwtVerifier(AccessSettings.Jwt settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
  }

  /**
   * Whether a bearer credential has a JWT's shape (three dot-separated parts), not an API key's.
   */
  static boolean looksLikeJwt(String credential) {
    return credential.chars().filter(c -> c == '.').count() == 2;
  }

  Outcome verify(String token, JsonWebKeys keys) {
    if (token.length() > MAX_TOKEN_LENGTH) {
      return new Rejected("token too long");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return new Rejected("not a compact JWS");
    }
    JsonNode header;
    JsonNode claims;
    byte[] signature;
    try {
      header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
      claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IOException | IllegalArgumentException e) {
      return new Rejected("undecodable token");
    }
    if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
      return new Rejected("header or claims not a JSON object");
    }
    String alg = header.path("alg").asText("");
    if (!JCA_ALGORITHMS.containsKey(alg)) {
      return new Rejected("algorithm '" + alg + "' not accepted");
    }
    if (header.has("crit")) {
      return new Rejected("critical header parameters not supported");
    }
    String kid = header.path("kid").asText("");
    if (kid.isEmpty()) {
      return new Rejected("no kid");
    }
    var key = keys.get(kid);
    if (key.isEmpty()) {
      return new UnknownKey(kid);
    }
    if (!fits(alg, key.get())) {
      return new Rejected("algorithm " + alg + " does not fit key " + kid);
    }
    if (!signatureValid(alg, key.get(), parts, signature)) {
      return new Rejected("bad signature");
    }
    return checkClaims(claims);
  }

  private static boolean fits(String alg, JsonWebKeys.Key key) {
    if (key.alg().isPresent() && !key.alg().get().equals(alg)) {
      return false;
    }
    return alg.startsWith("RS")
        ? key.publicKey().getAlgorithm().equals("RSA")
        : key.curve().map(EC_CURVES.get(alg)::equals).orElse(false);
  }

  private static boolean signatureValid(
      String alg, JsonWebKeys.Key key, String[] parts, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(JCA_ALGORITHMS.get(alg));
      verifier.initVerify(key.publicKey());
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private Outcome checkClaims(JsonNode claims) {
    long now = clock.instant().getEpochSecond();
    long skew = settings.clockSkew().toSeconds();
    if (!claims.path("exp").isNumber()) {
      return new Rejected("no exp");
    }
    if (now - skew >= claims.path("exp").asLong()) {
      return new Rejected("expired at " + Instant.ofEpochSecond(claims.path("exp").asLong()));
    }
    if (claims.has("nbf")
        && (!claims.path("nbf").isNumber() || now + skew < claims.path("nbf").asLong())) {
      return new Rejected("not valid yet");
    }
    if (claims.has("iat")
        && (!claims.path("iat").isNumber() || now + skew < claims.path("iat").asLong())) {
      return new Rejected("issued in the future");
    }
    if (!settings.issuer().equals(claims.path("iss").asText(null))) {
      return new Rejected("wrong issuer");
    }
    if (!audienceMatches(claims.path("aud"))) {
      return new Rejected("wrong audience");
    }
    return new Verified(new Caller(callerName(claims), permissions(claims)));
  }

  private boolean audienceMatches(JsonNode aud) {
    if (aud.isTextual()) {
      return aud.asText().equals(settings.audience());
    }
    if (aud.isArray()) {
      for (JsonNode one : aud) {
        if (one.isTextual() && one.asText().equals(settings.audience())) {
          return true;
        }
      }
    }
    return false;
  }

  private Set<Permission> permissions(JsonNode claims) {
    Set<String> scopes = new HashSet<>();
    for (String claim : new String[] {"scope", "scp"}) {
      JsonNode value = claims.path(claim);
      if (value.isTextual()) {
        scopes.addAll(Set.of(value.asText().strip().split("\\s+")));
      } else if (value.isArray()) {
        value.forEach(one -> scopes.add(one.asText()));
      }
    }
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    if (scopes.contains(settings.readScope())) {
      permissions.add(Permission.READ);
    }
    if (scopes.contains(settings.submitScope())) {
      permissions.add(Permission.SUBMIT);
    }
    return permissions;
  }

  /** {@code sub}, else {@code client_id}, else {@code azp}: for logs, at most 100 characters. */
  private static String callerName(JsonNode claims) {
    for (String claim : new String[] {"sub", "client_id", "azp"}) {
      String value = claims.path(claim).asText("");
      if (!value.isBlank()) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return "jwt:" + printable.substring(0, Math.min(100, printable.length()));
      }
    }
    return "jwt:(no subject)";
  }
}
