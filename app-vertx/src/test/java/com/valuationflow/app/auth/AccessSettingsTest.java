package com.valuationflow.app.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.valuationflow.app.AppConfig;
import com.valuationflow.app.Main;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Access control's settings: documented defaults, and refusals that name the variable. */
class AccessSettingsTest {

  private static final String HASH = ApiKeys.hash("k".repeat(64));

  private static Map<String, String> aws(String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("MODE", "aws");
    env.put("TASK_TOKEN_TABLE", "valuation-task-tokens");
    env.put("STATE_MACHINE_ARN", "arn:aws:states:eu-west-2:123456789012:stateMachine:Loans");
    env.put("WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void inMemoryTheApiIsOpenUnlessConfigured() {
    assertThat(AppConfig.defaults().access().configured()).isFalse();
  }

  @Test
  void awsModeRefusesToStartWithoutAccessControl() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(aws()))
        .withMessage("AUTH_JWKS_URL or API_KEYS must be set when MODE=aws");
    assertThat(AppConfig.fromEnvironment(aws("API_KEYS", "ops:read:" + HASH)).access().apiKeys())
        .isPresent();
    assertThat(
            AppConfig.fromEnvironment(
                    aws(
                        "AUTH_JWKS_URL", "https://idp.example.com/.well-known/jwks.json",
                        "AUTH_JWT_ISSUER", "https://idp.example.com/",
                        "AUTH_JWT_AUDIENCE", "valuationflow"))
                .access()
                .jwt())
        .isPresent();
  }

  /** As an operator sees it: the process exits 2 and says which variable to set. */
  @Test
  void theAppStartedInAwsModeWithoutAccessControlExitsNamingTheVariables() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName())
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(aws("AWS_REGION", "eu-west-2", "PORT", "0"));
    Process process = builder.start();
    try {
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(output).isEqualTo(2);
      assertThat(output)
          .contains(
              "ValuationFlow cannot start: AUTH_JWKS_URL or API_KEYS must be set when MODE=aws");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void jwtDefaultsAreTheDocumentedOnes() {
    AccessSettings.Jwt jwt =
        AccessSettings.Jwt.of(URI.create("https://idp.example.com/jwks"), "iss", "aud");
    assertThat(jwt.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(jwt.readScope()).isEqualTo("loans.read");
    assertThat(jwt.submitScope()).isEqualTo("loans.submit");
    assertThat(jwt.jwksMaxAge()).isEqualTo(Duration.ofMinutes(10));
    assertThat(jwt.jwksMinRefetchInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void jwtSettingsAreRead() {
    AccessSettings.Jwt jwt =
        AccessSettings.fromEnvironment(
                Map.of(
                    "AUTH_JWKS_URL", "http://127.0.0.1:8081/jwks",
                    "AUTH_JWT_ISSUER", "https://idp.example.com/",
                    "AUTH_JWT_AUDIENCE", "api://valuationflow",
                    "AUTH_JWT_CLOCK_SKEW_SECONDS", "5",
                    "AUTH_JWT_READ_SCOPE", "api://valuationflow/read",
                    "AUTH_JWT_SUBMIT_SCOPE", "api://valuationflow/submit",
                    "AUTH_JWKS_MAX_AGE_SECONDS", "3600",
                    "AUTH_JWKS_MIN_REFETCH_SECONDS", "60"))
            .jwt()
            .orElseThrow();
    assertThat(jwt.audience()).isEqualTo("api://valuationflow");
    assertThat(jwt.clockSkew()).isEqualTo(Duration.ofSeconds(5));
    assertThat(jwt.readScope()).isEqualTo("api://valuationflow/read");
    assertThat(jwt.jwksMaxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(jwt.jwksMinRefetchInterval()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void invalidJwtSettingsNameTheVariable() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AccessSettings.fromEnvironment(Map.of("AUTH_JWKS_URL", "https://i/k")))
        .withMessage("AUTH_JWT_ISSUER must be set when AUTH_JWKS_URL is");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AccessSettings.fromEnvironment(
                    Map.of("AUTH_JWKS_URL", "https://i/k", "AUTH_JWT_ISSUER", "i")))
        .withMessage("AUTH_JWT_AUDIENCE must be set when AUTH_JWKS_URL is");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AccessSettings.fromEnvironment(Map.of("AUTH_JWT_AUDIENCE", "a")))
        .withMessage("AUTH_JWT_AUDIENCE is set, but AUTH_JWKS_URL is not");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AccessSettings.fromEnvironment(Map.of("AUTH_JWKS_URL", "http://idp.example.com/k")))
        .withMessage(
            "AUTH_JWKS_URL is invalid: must be an https URL (http only on a loopback address)");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AccessSettings.fromEnvironment(
                    Map.of(
                        "AUTH_JWKS_URL", "https://i/k",
                        "AUTH_JWT_ISSUER", "i",
                        "AUTH_JWT_AUDIENCE", "a",
                        "AUTH_JWT_CLOCK_SKEW_SECONDS", "3600")))
        .withMessage("AUTH_JWT_CLOCK_SKEW_SECONDS is invalid: must be between 0 and 300");
  }

  @Test
  void apiKeysAreReadAndInvalidOnesNamedWithoutTheirHashes() {
    ApiKeys keys =
        AccessSettings.fromEnvironment(
                Map.of(
                    "API_KEYS",
                    "intake:read+submit:" + HASH + ", dashboard:read:" + HASH.replace('a', 'b')))
            .apiKeys()
            .orElseThrow();
    assertThat(keys.names()).containsExactly("intake", "dashboard");
    assertThat(keys.match("k".repeat(64)))
        .hasValueSatisfying(caller -> assertThat(caller.name()).isEqualTo("intake"))
        .hasValueSatisfying(caller -> assertThat(caller.permissions()).hasSize(2));
    assertThat(keys.match("k".repeat(63))).isEmpty();

    for (Map.Entry<String, String> invalid :
        Map.of(
                "ops:read:" + HASH.substring(1),
                "API_KEYS is invalid: key 'ops': the hash must be 64 hex digits (the key's SHA-256)",
                "ops:write:" + HASH,
                "API_KEYS is invalid: key 'ops': unknown permission 'write' (read or submit)",
                "ops:" + HASH,
                "API_KEYS is invalid: entry 1 must be name:permissions:sha256-hex",
                "ops:read:" + HASH + ",ops:submit:" + HASH.replace('a', 'c'),
                "API_KEYS is invalid: the name 'ops' is used twice",
                "a:read:" + HASH + ",b:read:" + HASH.toUpperCase(java.util.Locale.ROOT),
                "API_KEYS is invalid: key 'b' has the hash of another key")
            .entrySet()) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> AccessSettings.fromEnvironment(Map.of("API_KEYS", invalid.getKey())))
          .withMessage(invalid.getValue());
    }
  }

  /** The hash {@code printf %s "$KEY" | sha256sum} prints: the NIST test vector for "abc". */
  @Test
  void theHashIsSha256Hex() {
    assertThat(ApiKeys.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
