package com.valuationflow.app.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.app.RunningApp;
import com.valuationflow.app.http.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider for tests: RSA and EC signing keys, their JSON Web Key Set served over real
 * HTTP on loopback, and tokens signed with them.
 */
final class TestIdentityProvider implements AutoCloseable {

  static final String ISSUER = "https://idp.example.com/";
  static final String AUDIENCE = "valuationflow-api";

  private final HttpServer server;
  private final Map<String, KeyPair> published = new LinkedHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();

  private TestIdentityProvider(Vertx vertx) {
    this.server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  fetches.incrementAndGet();
                  request
                      .response()
                      .putHeader("Content-Type", "application/json")
                      .end(jwks().toString());
                });
  }

  static TestIdentityProvider start(Vertx vertx) {
    TestIdentityProvider provider = new TestIdentityProvider(vertx);
    RunningApp.await(provider.server.listen(0, "127.0.0.1"));
    return provider;
  }

  URI jwksUrl() {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json");
  }

  int fetches() {
    return fetches.get();
  }

  /** Publishes a key under this id (replacing one of the same id). */
  synchronized void publish(String kid, KeyPair key) {
    published.put(kid, key);
  }

  static KeyPair rsaKey() {
    return generate("RSA", 2048);
  }

  static KeyPair ecKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate(String algorithm, int size) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(size);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private synchronized ObjectNode jwks() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode keys = root.putArray("keys");
    published.forEach(
        (kid, pair) -> {
          ObjectNode jwk = keys.addObject().put("kid", kid).put("use", "sig");
          if (pair.getPublic() instanceof RSAPublicKey rsa) {
            jwk.put("kty", "RSA")
                .put("alg", "RS256")
                .put("n", unsigned(rsa.getModulus(), 0))
                .put("e", unsigned(rsa.getPublicExponent(), 0));
          } else {
            ECPublicKey ec = (ECPublicKey) pair.getPublic();
            jwk.put("kty", "EC")
                .put("crv", "P-256")
                .put("x", unsigned(ec.getW().getAffineX(), 32))
                .put("y", unsigned(ec.getW().getAffineY(), 32));
          }
        });
    return root;
  }

  private static String unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (bytes.length < length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      bytes = padded;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Claims a good token carries: this issuer and audience, valid for five minutes from now. */
  static ObjectNode claims(long now, String... scopes) {
    return Json.MAPPER
        .createObjectNode()
        .put("iss", ISSUER)
        .put("aud", AUDIENCE)
        .put("sub", "loan-officer-7")
        .put("iat", now)
        .put("exp", now + 300)
        .put("scope", String.join(" ", scopes));
  }

  /** A token with these claims, signed with this key under this id and algorithm. */
  static String sign(String alg, String kid, PrivateKey key, ObjectNode claims) {
    ObjectNode header = Json.MAPPER.createObjectNode().put("alg", alg).put("typ", "JWT");
    if (kid != null) {
      header.put("kid", kid);
    }
    String signingInput = encode(header.toString()) + "." + encode(claims.toString());
    try {
      Signature signature =
          Signature.getInstance(
              alg.startsWith("RS") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code "alg":"none"}), as an attacker would try. */
  static String unsigned(ObjectNode claims) {
    return encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + encode(claims.toString()) + ".";
  }

  static String encode(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    RunningApp.await(server.close());
  }
}
