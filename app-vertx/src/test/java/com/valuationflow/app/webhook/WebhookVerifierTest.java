package com.valuationflow.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.app.webhook.WebhookRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookVerifierTest {

  /** The specification's published test vector. */
  static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long SPEC_TIMESTAMP = 1614265330;
  static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static final WebhookSecret SECRET = WebhookSecret.parse(SPEC_SECRET);
  private static final String TIMESTAMP = Long.toString(SPEC_TIMESTAMP);

  private static Clock at(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }

  private static WebhookVerifier verifier(WebhookSecrets secrets, long nowEpochSecond) {
    return new WebhookVerifier(secrets, Duration.ofMinutes(5), at(nowEpochSecond));
  }

  private static final WebhookVerifier VERIFIER =
      verifier(WebhookSecrets.of(SECRET), SPEC_TIMESTAMP);

  @Test
  void theSignerReproducesTheSpecificationsTestVector() {
    assertThat(
            new WebhookSigner(SECRET, at(SPEC_TIMESTAMP))
                .signature(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY))
        .isEqualTo(SPEC_SIGNATURE);
    assertThat(new WebhookSigner(SECRET, at(SPEC_TIMESTAMP)).headers(SPEC_ID, SPEC_BODY))
        .containsEntry("webhook-id", SPEC_ID)
        .containsEntry("webhook-timestamp", TIMESTAMP)
        .containsEntry("webhook-signature", SPEC_SIGNATURE);
  }

  @Test
  void theVerifierAcceptsTheSpecificationsTestVector() throws Exception {
    assertThat(VERIFIER.verify(SPEC_ID, TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY)).isEqualTo(SPEC_ID);
  }

  @Test
  void oneMatchingSignatureAmongSeveralIsEnough() throws Exception {
    String signatures = "v1,bm90IGl0 v1a,c29tZXRoaW5nIGVsc2U= v1,%%% " + SPEC_SIGNATURE;

    assertThat(VERIFIER.verify(SPEC_ID, TIMESTAMP, signatures, SPEC_BODY)).isEqualTo(SPEC_ID);
  }

  @Test
  void everyConfiguredSecretIsAcceptedWhileRotating() throws Exception {
    WebhookSecret next = WebhookSecret.generate();
    WebhookVerifier rotating = verifier(WebhookSecrets.of(next, SECRET), SPEC_TIMESTAMP);
    String byNext =
        new WebhookSigner(next, at(SPEC_TIMESTAMP)).signature(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);

    assertThat(rotating.verify(SPEC_ID, TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY)).isEqualTo(SPEC_ID);
    assertThat(rotating.verify(SPEC_ID, TIMESTAMP, byNext, SPEC_BODY)).isEqualTo(SPEC_ID);
    assertRejected(VERIFIER, SPEC_ID, TIMESTAMP, byNext, SPEC_BODY, Reason.INVALID_SIGNATURE);
  }

  @Test
  void aSignatureByAnotherSecretIsRejected() {
    String forged =
        new WebhookSigner(WebhookSecret.generate(), at(SPEC_TIMESTAMP))
            .signature(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);

    assertRejected(VERIFIER, SPEC_ID, TIMESTAMP, forged, SPEC_BODY, Reason.INVALID_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{\"test\":2432232314}", "{\"test\": 2432232315}", "{\"test\": 2432232314} "})
  void aBodyChangedInAnyByteIsRejected(String body) {
    assertRejected(
        VERIFIER,
        SPEC_ID,
        TIMESTAMP,
        SPEC_SIGNATURE,
        body.getBytes(StandardCharsets.UTF_8),
        Reason.INVALID_SIGNATURE);
  }

  @Test
  void aChangedIdOrTimestampIsRejected() {
    assertRejected(
        VERIFIER, "msg_other", TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY, Reason.INVALID_SIGNATURE);
    assertRejected(
        VERIFIER,
        SPEC_ID,
        Long.toString(SPEC_TIMESTAMP + 1),
        SPEC_SIGNATURE,
        SPEC_BODY,
        Reason.INVALID_SIGNATURE);
  }

  @Test
  void timestampsOutsideTheToleranceAreStaleInBothDirections() throws Exception {
    long tolerance = Duration.ofMinutes(5).toSeconds();

    assertThat(
            verifier(WebhookSecrets.of(SECRET), SPEC_TIMESTAMP + tolerance)
                .verify(SPEC_ID, TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY))
        .isEqualTo(SPEC_ID);
    assertThat(
            verifier(WebhookSecrets.of(SECRET), SPEC_TIMESTAMP - tolerance)
                .verify(SPEC_ID, TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY))
        .isEqualTo(SPEC_ID);
    assertRejected(
        verifier(WebhookSecrets.of(SECRET), SPEC_TIMESTAMP + tolerance + 1),
        SPEC_ID,
        TIMESTAMP,
        SPEC_SIGNATURE,
        SPEC_BODY,
        Reason.STALE_TIMESTAMP);
    assertRejected(
        verifier(WebhookSecrets.of(SECRET), SPEC_TIMESTAMP - tolerance - 1),
        SPEC_ID,
        TIMESTAMP,
        SPEC_SIGNATURE,
        SPEC_BODY,
        Reason.STALE_TIMESTAMP);
  }

  @Test
  void missingHeadersAreNamed() {
    assertThatThrownBy(() -> VERIFIER.verify(null, TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY))
        .hasMessage("The webhook-id header is missing");
    assertThatThrownBy(() -> VERIFIER.verify(SPEC_ID, null, SPEC_SIGNATURE, SPEC_BODY))
        .hasMessage("The webhook-timestamp header is missing");
    assertThatThrownBy(() -> VERIFIER.verify(SPEC_ID, TIMESTAMP, "", SPEC_BODY))
        .hasMessage("The webhook-signature header is missing");
  }

  @Test
  void malformedHeadersAreRejected() {
    assertRejected(
        VERIFIER, "msg.1", TIMESTAMP, SPEC_SIGNATURE, SPEC_BODY, Reason.INVALID_SIGNATURE);
    assertRejected(
        VERIFIER, SPEC_ID, "-1614265330", SPEC_SIGNATURE, SPEC_BODY, Reason.INVALID_SIGNATURE);
    assertRejected(
        VERIFIER, SPEC_ID, "2021-02-25", SPEC_SIGNATURE, SPEC_BODY, Reason.INVALID_SIGNATURE);
    assertRejected(
        VERIFIER,
        SPEC_ID,
        TIMESTAMP,
        SPEC_SIGNATURE.replace("v1,", "v2,"),
        SPEC_BODY,
        Reason.INVALID_SIGNATURE);
  }

  private static void assertRejected(
      WebhookVerifier verifier,
      String id,
      String timestamp,
      String signatures,
      byte[] body,
      Reason reason) {
    assertThatThrownBy(() -> verifier.verify(id, timestamp, signatures, body))
        .isInstanceOfSatisfying(
            WebhookRejectedException.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(reason);
              assertThat(rejected.getMessage()).doesNotContain(SPEC_SECRET.substring(6));
            });
  }
}
