package com.valuationflow.app.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.http.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An identity provider's signing keys, from its JSON Web Key Set (RFC 7517), by key id. Keys this
 * app cannot use are left out rather than failing the set: encryption keys ({@code "use":"enc"}),
 * key types other than {@code RSA} and {@code EC}, RSA keys under 2048 bits, keys without a {@code
 * kid}.
 */
public final class JsonWebKeys {

  /** A usable key: the public key, its type's algorithms, and its {@code alg} if it names one. */
  record Key(String kid, PublicKey publicKey, Optional<String> alg, Optional<String> curve) {}

  private static final int MIN_RSA_BITS = 2048;

  private final Map<String, Key> keys;

  private JsonWebKeys(Map<String, Key> keys) {
    this.keys = Map.copyOf(keys);
  }

  static JsonWebKeys empty() {
    return new JsonWebKeys(Map.of());
  }

  /**
   * Parses a key set document.
   *
   * @throws IllegalArgumentException if it is not a JSON object with a {@code keys} array
   */
  public static JsonWebKeys parse(byte[] document) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(document);
    } catch (IOException e) {
      throw new IllegalArgumentException("the key set is not JSON", e);
    }
    if (root == null || !root.path("keys").isArray()) {
      throw new IllegalArgumentException("the key set has no 'keys' array");
    }
    Map<String, Key> keys = new HashMap<>();
    for (JsonNode jwk : root.path("keys")) {
      toKey(jwk).ifPresent(key -> keys.putIfAbsent(key.kid(), key));
    }
    return new JsonWebKeys(keys);
  }

  Optional<Key> get(String kid) {
    return Optional.ofNullable(keys.get(kid));
  }

  public int size() {
    return keys.size();
  }

  private static Optional<Key> toKey(JsonNode jwk) {
    String kid = jwk.path("kid").asText("");
    String use = jwk.path("use").asText("sig");
    if (kid.isEmpty() || !use.equals("sig")) {
      return Optional.empty();
    }
    Optional<String> alg = Optional.ofNullable(jwk.get("alg")).map(JsonNode::asText);
    try {
      return switch (jwk.path("kty").asText()) {
        case "RSA" -> rsa(jwk).map(key -> new Key(kid, key, alg, Optional.empty()));
        case "EC" -> {
          String curve = jwk.path("crv").asText();
          yield ec(jwk, curve).map(key -> new Key(kid, key, alg, Optional.of(curve)));
        }
        default -> Optional.empty();
      };
    } catch (GeneralSecurityException | IllegalArgumentException unusable) {
      return Optional.empty();
    }
  }

  private static Optional<PublicKey> rsa(JsonNode jwk) throws GeneralSecurityException {
    RSAPublicKey key =
        (RSAPublicKey)
            KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e")));
    return key.getModulus().bitLength() < MIN_RSA_BITS ? Optional.empty() : Optional.of(key);
  }

  private static Optional<PublicKey> ec(JsonNode jwk, String curve)
      throws GeneralSecurityException {
    String stdName =
        switch (curve) {
          case "P-256" -> "secp256r1";
          case "P-384" -> "secp384r1";
          case "P-521" -> "secp521r1";
          default -> null;
        };
    if (stdName == null) {
      return Optional.empty();
    }
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec(stdName));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    ECPoint point = new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y"));
    return Optional.of(
        KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec)));
  }

  private static BigInteger unsigned(JsonNode jwk, String field) {
    String text = jwk.path(field).asText("");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("no '" + field + "'");
    }
    return new BigInteger(1, Base64.getUrlDecoder().decode(text));
  }
}
