package com.valuationflow.app.auth;

import static com.valuationflow.app.auth.TestIdentityProvider.claims;
import static com.valuationflow.app.auth.TestIdentityProvider.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.app.AppConfig;
import com.valuationflow.app.RunningApp;
import com.valuationflow.app.TestApiKey;
import com.valuationflow.app.http.Json;
import com.valuationflow.domain.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loan API and the execution view behind access control, over real HTTP: JWTs checked against a
 * JSON Web Key Set this test serves on loopback, and API keys. Missing, malformed, forged, expired,
 * wrong-issuer and wrong-audience tokens get {@code 401}; valid ones without the scope {@code 403};
 * the same requests with a good token pass. The webhook, the mock valuer, {@code /health} and the
 * view's assets stay open.
 */
class AccessControlEndToEndTest {

  private static final String ISSUER = TestIdentityProvider.ISSUER;
  private static final String AUDIENCE = TestIdentityProvider.AUDIENCE;
  private static final String READ_ONLY_KEY =
      "9d2b7e4a1c6f3d8b0e5a2c7f4b9d1e6a3c8f5b0d7e2a4c9f6b1d3e8a5c0f7b2d";
  private static final String APPLICATION =
      "{\"applicationReference\":\"%s\",\"property\":{\"nameOrNumber\":\"999\","
          + "\"postcode\":\"PO1 1CE\"}}";

  private static Vertx vertx;
  private static KeyPair rsa;
  private static KeyPair ec;

  private TestIdentityProvider identityProvider;
  private MutableClock clock;
  private RunningApp app;

  @BeforeAll
  static void keys() {
    vertx = Vertx.vertx();
    rsa = TestIdentityProvider.rsaKey();
    ec = TestIdentityProvider.ecKey();
  }

  @AfterAll
  static void closeVertx() {
    RunningApp.await(vertx.close());
  }

  @BeforeEach
  void start() {
    identityProvider = TestIdentityProvider.start(vertx);
    identityProvider.publish("rsa-1", rsa);
    identityProvider.publish("ec-1", ec);
    clock = new MutableClock(Instant.now());
    app = startApp(AccessSettings.Jwt.of(identityProvider.jwksUrl(), ISSUER, AUDIENCE));
  }

  private RunningApp startApp(AccessSettings.Jwt jwt) {
    ApiKeys keys =
        ApiKeys.parse(TestApiKey.API_KEYS + ",dashboard:read:" + ApiKeys.hash(READ_ONLY_KEY));
    return RunningApp.start(
        vertx,
        AppConfig.defaults()
            .withValuerDelay(Duration.ofMillis(50))
            .withAccess(new AccessSettings(Optional.of(jwt), Optional.of(keys))),
        clock);
  }

  @AfterEach
  void stop() {
    app.close();
    identityProvider.close();
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private String token(String... scopes) {
    return sign("RS256", "rsa-1", rsa.getPrivate(), claims(now(), scopes));
  }

  private String token(ObjectNode claims) {
    return sign("RS256", "rsa-1", rsa.getPrivate(), claims);
  }

  private RunningApp.Response send(HttpMethod method, String path, String authorization) {
    var request = app.client().request(method, app.port(), "localhost", path).timeout(10_000);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    if (method == HttpMethod.POST) {
      request.putHeader("Content-Type", "application/json");
      return response(request.sendBuffer(Buffer.buffer(APPLICATION.formatted("app-" + now()))));
    }
    return response(request.send());
  }

  private static RunningApp.Response response(Future<HttpResponse<Buffer>> sent) {
    var response = RunningApp.await(sent);
    return new RunningApp.Response(
        response.statusCode(),
        response.headers(),
        response.bodyAsString(),
        parse(response.bodyAsString()));
  }

  private static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text == null ? "" : text);
    } catch (IOException e) {
      return Json.MAPPER.missingNode();
    }
  }

  private void assertUnauthorized(RunningApp.Response response, String challenge) {
    assertThat(response.status()).as(response.text()).isEqualTo(401);
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.headers().get("WWW-Authenticate")).isEqualTo(challenge);
    assertThat(response.json().path("type").asText()).isEqualTo("/problems/unauthorized");
    assertThat(response.json().path("detail").asText())
        .as("says nothing about what was wrong")
        .isEqualTo("A valid bearer token or API key is required (Authorization: Bearer ...)");
  }

  private void assertInvalidToken(RunningApp.Response response) {
    assertUnauthorized(response, "Bearer realm=\"valuationflow\", error=\"invalid_token\"");
  }

  @Test
  void withoutCredentialsTheApiAndTheViewAnswer401() {
    for (String path :
        List.of(
            "/loan-applications/app-ref", "/", "/applications/app-ref", "/applications/x/events")) {
      assertUnauthorized(send(HttpMethod.GET, path, null), "Bearer realm=\"valuationflow\"");
    }
    assertUnauthorized(
        send(HttpMethod.POST, "/loan-applications", null), "Bearer realm=\"valuationflow\"");
  }

  @Test
  void malformedCredentialsAnswer401() {
    for (String authorization :
        List.of("Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a b", token("loans.read"))) {
      assertInvalidToken(send(HttpMethod.GET, "/loan-applications/app-ref", authorization));
    }
    assertInvalidToken(send(HttpMethod.GET, "/", "Bearer not.a.jwt"));
  }

  @Test
  void forgedExpiredAndMisdirectedTokensAnswer401() {
    long now = now();
    String genuine = token("loans.read");
    String[] parts = genuine.split("\\.");
    String forged =
        parts[0]
            + "."
            + TestIdentityProvider.encode(claims(now, "loans.read", "loans.submit").toString())
            + "."
            + parts[2];
    String expired = token(claims(now - 3600, "loans.read").put("exp", now - 31));
    String wrongAudience = token(claims(now, "loans.read").put("aud", "another-api"));
    String wrongIssuer = token(claims(now, "loans.read").put("iss", "https://evil.example.com/"));
    String noExpiry = token((ObjectNode) claims(now, "loans.read").without("exp"));
    String notYetValid = token(claims(now, "loans.read").put("nbf", now + 60));
    String unsigned = TestIdentityProvider.unsigned(claims(now, "loans.read"));
    String unknownKey = sign("RS256", "rsa-9", rsa.getPrivate(), claims(now, "loans.read"));
    String wrongKeyType = sign("ES256", "rsa-1", ec.getPrivate(), claims(now, "loans.read"));

    for (String token :
        List.of(
            forged,
            expired,
            wrongAudience,
            wrongIssuer,
            noExpiry,
            notYetValid,
            unsigned,
            unknownKey,
            wrongKeyType)) {
      assertInvalidToken(send(HttpMethod.GET, "/loan-applications/app-ref", "Bearer " + token));
    }
  }

  @Test
  void goodTokensPassAndTheClockSkewIsAllowed() {
    String reader = "Bearer " + token("loans.read");
    assertThat(send(HttpMethod.GET, "/loan-applications/app-ref", reader).status())
        .as("authorized, and no such application")
        .isEqualTo(404);
    assertThat(send(HttpMethod.GET, "/", reader).status()).isEqualTo(200);

    long now = now();
    String submitter =
        "Bearer " + sign("ES256", "ec-1", ec.getPrivate(), claims(now, "loans.submit"));
    RunningApp.Response submitted = send(HttpMethod.POST, "/loan-applications", submitter);
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
    String reference = "app-" + now;

    String justExpired =
        "Bearer " + token(claims(now - 3600, "loans.read").put("exp", now - 20).put("aud", "x"));
    assertInvalidToken(send(HttpMethod.GET, "/", justExpired));
    String withinSkew =
        "Bearer " + token(claims(now - 3600, "loans.read", "other").put("exp", now - 20));
    assertThat(send(HttpMethod.GET, "/loan-applications/" + reference, withinSkew).status())
        .isEqualTo(200);

    String audiences =
        "Bearer "
            + token(
                claims(now, "loans.read")
                    .set(
                        "aud",
                        com.valuationflow.app.http.Json.MAPPER
                            .createArrayNode()
                            .add("other")
                            .add(AUDIENCE)));
    app.awaitApplication(reference, "SUCCEEDED"::equals);
    RunningApp.Response page = send(HttpMethod.GET, "/applications/" + reference, audiences);
    assertThat(page.status()).isEqualTo(200);
    RunningApp.Response stream =
        send(HttpMethod.GET, "/applications/" + reference + "/events", audiences);
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.headers().get("Content-Type")).startsWith("text/event-stream");
    assertThat(stream.text()).contains("event: end");
  }

  @Test
  void aCallerWithoutTheScopeGets403() {
    RunningApp.Response refused =
        send(HttpMethod.POST, "/loan-applications", "Bearer " + token("loans.read"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.json().path("type").asText()).isEqualTo("/problems/forbidden");
    assertThat(refused.headers().get("WWW-Authenticate"))
        .isEqualTo(
            "Bearer realm=\"valuationflow\", error=\"insufficient_scope\", scope=\"loans.submit\"");

    assertThat(send(HttpMethod.GET, "/", "Bearer " + token("loans.submit")).status())
        .isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/", "Bearer " + token()).status()).isEqualTo(403);
  }

  @Test
  void apiKeysAreCheckedByTheirHashes() {
    assertThat(send(HttpMethod.POST, "/loan-applications", TestApiKey.AUTHORIZATION).status())
        .isEqualTo(202);
    assertThat(send(HttpMethod.GET, "/", "Bearer " + READ_ONLY_KEY).status()).isEqualTo(200);
    assertThat(send(HttpMethod.POST, "/loan-applications", "Bearer " + READ_ONLY_KEY).status())
        .isEqualTo(403);
    assertInvalidToken(send(HttpMethod.GET, "/", "Bearer " + READ_ONLY_KEY.replace('9', '8')));
    assertInvalidToken(send(HttpMethod.GET, "/", "Bearer " + ApiKeys.hash(READ_ONLY_KEY)));
  }

  @Test
  void theWebhookTheMockValuerHealthAndAssetsStayOpen() {
    assertThat(send(HttpMethod.GET, "/health", null).status()).isEqualTo(200);
    assertThat(send(HttpMethod.GET, "/view/view.css", null).status()).isEqualTo(200);
    RunningApp.Response webhook =
        send(HttpMethod.POST, "/webhooks/valuations?correlationId=c-1", null);
    assertThat(webhook.status()).isEqualTo(401);
    assertThat(webhook.json().path("type").asText())
        .as("its own signature scheme answers")
        .isEqualTo("/problems/invalid-signature");
    RunningApp.Response valuer = send(HttpMethod.POST, "/valuer/valuations", null);
    assertThat(valuer.status()).as("the mock valuer's own validation answers").isEqualTo(400);
  }

  @Test
  void aRotatedKeyIsFetchedOnceTheRefetchIntervalAllows() {
    assertThat(send(HttpMethod.GET, "/", "Bearer " + token("loans.read")).status()).isEqualTo(200);
    assertThat(identityProvider.fetches()).isEqualTo(1);

    KeyPair rotated = TestIdentityProvider.ecKey();
    identityProvider.publish("ec-2", rotated);
    String signedWithNewKey =
        "Bearer " + sign("ES256", "ec-2", rotated.getPrivate(), claims(now(), "loans.read"));
    assertInvalidToken(send(HttpMethod.GET, "/", signedWithNewKey));
    assertInvalidToken(send(HttpMethod.GET, "/", signedWithNewKey));
    assertThat(identityProvider.fetches())
        .as("unknown key ids fetch at most once per AUTH_JWKS_MIN_REFETCH_SECONDS")
        .isEqualTo(1);

    clock.advance(Duration.ofSeconds(30));
    String fresh =
        "Bearer "
            + sign(
                "ES256", "ec-2", rotated.getPrivate(), claims(now(), "loans.read", "loans.submit"));
    RunningApp.Response submitted = send(HttpMethod.POST, "/loan-applications", fresh);
    assertThat(submitted.status())
        .as("the body of a request held while the keys were fetched is read whole")
        .isEqualTo(202);
    assertThat(send(HttpMethod.GET, "/", fresh).status()).isEqualTo(200);
    assertThat(identityProvider.fetches()).isEqualTo(2);
  }

  @Test
  void whileTheKeysCannotBeFetchedJwtsGet503AndApiKeysStillWork() {
    app.close();
    identityProvider.close();
    identityProvider = TestIdentityProvider.start(vertx);
    URI closed = identityProvider.jwksUrl();
    identityProvider.close();
    identityProvider = TestIdentityProvider.start(vertx);
    app = startApp(AccessSettings.Jwt.of(closed, ISSUER, AUDIENCE));

    RunningApp.Response unavailable = send(HttpMethod.GET, "/", "Bearer " + token("loans.read"));
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.json().path("type").asText()).isEqualTo("/problems/service-unavailable");
    assertThat(send(HttpMethod.GET, "/", TestApiKey.AUTHORIZATION).status()).isEqualTo(200);
  }
}
