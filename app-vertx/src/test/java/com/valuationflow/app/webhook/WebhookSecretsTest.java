package com.valuationflow.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSecretsTest {

  private static final String FIRST = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SECOND = "whsec_vEsXPRZj4LA2AmiWKxuR2r8mEVoGWyG94iokrvByuRQ=";

  @Test
  void severalSecretsAreSeparatedBySpacesOrCommasAndTheFirstSigns() throws Exception {
    WebhookSecrets secrets = WebhookSecrets.parse(" " + FIRST + " ,\t" + SECOND + ",");
    byte[] body = "{}".getBytes();
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    String signedByFirst =
        new WebhookSigner(secrets.signing(), clock).headers("msg_1", body).get("webhook-signature");

    assertThat(secrets.all()).hasSize(2);
    assertThat(signedByFirst)
        .isEqualTo(
            new WebhookSigner(WebhookSecret.parse(FIRST), clock)
                .headers("msg_1", body)
                .get("webhook-signature"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "whsec_not base64!",
        "whsec_c2hvcnQ=",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
      })
  void anUnusableSecretIsRefusedWithoutBeingQuoted(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebhookSecrets.parse(text))
        .satisfies(
            e -> {
              assertThat(e.getMessage()).doesNotContain("MfKQ9r8G", "not base64", "c2hvcnQ");
              assertThat(e.getCause()).isNull();
            });
  }

  @Test
  void secretsOf24To64BytesAreAccepted() {
    Base64.Encoder base64 = Base64.getEncoder();

    assertThat(WebhookSecret.parse("whsec_" + base64.encodeToString(new byte[24]))).isNotNull();
    assertThat(WebhookSecret.parse("whsec_" + base64.encodeToString(new byte[64]))).isNotNull();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebhookSecret.parse("whsec_" + base64.encodeToString(new byte[23])));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebhookSecret.parse("whsec_" + base64.encodeToString(new byte[65])));
  }

  @Test
  void generatedSecretsDifferAndVerifyWhatTheySign() throws Exception {
    WebhookSecret generated = WebhookSecret.generate();
    byte[] body = "{}".getBytes();
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    String signature =
        new WebhookSigner(generated, Clock.systemUTC()).signature("msg_1", 1_700_000_000, body);
    WebhookVerifier verifier =
        new WebhookVerifier(
            WebhookSecrets.of(generated),
            Duration.ofMinutes(5),
            Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC));

    assertThat(verifier.verify("msg_1", "1700000000", signature, body)).isEqualTo("msg_1");
    assertThat(signature)
        .isNotEqualTo(
            new WebhookSigner(WebhookSecret.generate(), Clock.systemUTC())
                .signature("msg_1", 1_700_000_000, body));
  }

  @Test
  void secretsAreRedactedWhenPrinted() {
    WebhookSecrets secrets = WebhookSecrets.parse(FIRST + " " + SECOND);

    assertThat(secrets.toString()).isEqualTo("WebhookSecrets[2 redacted]");
    assertThat(secrets.signing().toString()).isEqualTo("whsec_[redacted]");
  }
}
