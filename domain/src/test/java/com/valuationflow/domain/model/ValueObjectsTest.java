package com.valuationflow.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueObjectsTest {

  @Test
  void theSeedsExampleApplicationIsValid() {
    LoanApplication application = LoanApplication.of("app-ref", "999", "PO1 1CE");

    assertThat(application.applicationReference().value()).isEqualTo("app-ref");
    assertThat(application.property()).isEqualTo(new Property("999", "PO1 1CE"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "has space", "semi;colon", "ünïcode"})
  void applicationReferencesAreExecutionNameSafe(String reference) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ApplicationReference.of(reference))
        .withMessageContaining("'applicationReference'");
  }

  @Test
  void applicationReferencesAreAtMost80Characters() {
    assertThat(ApplicationReference.of("a".repeat(80)).value()).hasSize(80);
    assertThatIllegalArgumentException().isThrownBy(() -> ApplicationReference.of("a".repeat(81)));
  }

  @Test
  void nullsAreRejectedNamingTheField() {
    assertThatNullPointerException()
        .isThrownBy(() -> new LoanApplication(null, Property.of("1", "PO1 1CE")))
        .withMessage("'applicationReference' must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> Property.of(null, "PO1 1CE"))
        .withMessage("'nameOrNumber' must not be null");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"PO1 1CE", "po11ce", "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"})
  void ukPostcodesAreAccepted(String postcode) {
    assertThat(Property.of("1", postcode).postcode()).isEqualTo(postcode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "12345", "PO1  1CE", "PO1 1C", "<script>", "PO1 1CE extra"})
  void otherPostcodesAreRejected(String postcode) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Property.of("1", postcode))
        .withMessageContaining("'postcode'");
  }

  @Test
  void postcodesCompareIgnoringCaseAndSpacing() {
    assertThat(Property.of("999", "po11ce").normalisedPostcode()).isEqualTo("PO1 1CE");
    assertThat(
            Property.of("Rose Cottage", "po11ce")
                .sameAddressAs(Property.of("rose cottage ", "PO1 1CE")))
        .isTrue();
    assertThat(Property.of("1", "PO1 1CE").sameAddressAs(Property.of("2", "PO1 1CE"))).isFalse();
  }

  @Test
  void nameOrNumberIsBoundedAndPrintable() {
    assertThatIllegalArgumentException().isThrownBy(() -> Property.of("x".repeat(101), "PO1 1CE"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Property.of("1\n2", "PO1 1CE"))
        .withMessageContaining("control characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "0.001", "1000000000000"})
  void propertyValuesArePositiveAmountsInPounds(String value) {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new ValuationResult(ValuationReference.of("val-1"), new BigDecimal(value)))
        .withMessageContaining("'propertyValue'");
  }

  @Test
  void aValuationResultBecomesTheTaskOutput() {
    ValuationResult result =
        new ValuationResult(ValuationReference.of("val-\"1\""), new BigDecimal("250000.50"));

    assertThat(result.toTaskOutput().json())
        .isEqualTo("{\"valuationReference\":\"val-\\\"1\\\"\",\"propertyValue\":250000.5}");
    assertThat(ValuationResult.of("v", 1_000_000).toTaskOutput().json())
        .isEqualTo("{\"valuationReference\":\"v\",\"propertyValue\":1000000}");
  }

  @Test
  void valuationReferencesAreVisibleAscii() {
    assertThatIllegalArgumentException().isThrownBy(() -> ValuationReference.of("a b"));
    assertThatIllegalArgumentException().isThrownBy(() -> ValuationReference.of("x".repeat(129)));
  }

  @Test
  void aTaskTokenNeverPrintsItself() {
    String secret = "AAAAKgAAAAIAAAAAAAAAAeMHr6sb8ll5IKKN8ZnUdBXAMPLE";
    TaskToken token = TaskToken.of(secret);

    assertThat(token.toString()).doesNotContain(secret).startsWith("TaskToken[sha256:");
    assertThat(token.fingerprint()).hasSize(12).isEqualTo(TaskToken.of(secret).fingerprint());
    assertThat(
            ParkedTask.awaitingReply(
                    new CorrelationKey("k"),
                    token,
                    ApplicationReference.of("a"),
                    java.time.Instant.EPOCH)
                .toString())
        .doesNotContain(secret);
  }

  @Test
  void taskTokensAreAtMost2048Characters() {
    assertThat(TaskToken.of("t".repeat(2048)).value()).hasSize(2048);
    assertThatIllegalArgumentException().isThrownBy(() -> TaskToken.of("t".repeat(2049)));
  }

  @Test
  void taskOutputAndFailureRespectStepFunctionsLimits() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new TaskOutput("\"" + "x".repeat(TaskOutput.MAX_BYTES) + "\""))
        .withMessageContaining("262144 bytes");
    assertThatIllegalArgumentException().isThrownBy(() -> TaskFailure.of("e".repeat(257), ""));
    assertThatIllegalArgumentException().isThrownBy(() -> TaskFailure.of("E", "c".repeat(32_769)));
    assertThat(TaskFailure.of("E", "c".repeat(32_768)).cause()).hasSize(32_768);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/cb", "/relative", "mailto:x@example.com"})
  void callbackUrlsAreAbsoluteHttp(String url) {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new ValuationRequest(
                    Property.of("1", "PO1 1CE"), URI.create(url), CorrelationKey.random()))
        .withMessageContaining("'callbackUrl'");
  }

  @Test
  void invalidValuesNameTheFieldForCallersToPointAt() {
    assertThatThrownBy(() -> Property.of("1", "nowhere"))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("postcode"));
    assertThatThrownBy(() -> ValuationResult.of("val-1", 0))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("propertyValue"));
  }

  @Test
  void newCorrelationKeysAreRandomAndUrlSafe() {
    Set<CorrelationKey> keys =
        Stream.generate(CorrelationKey::random).limit(1_000).collect(Collectors.toSet());

    assertThat(keys)
        .hasSize(1_000)
        .allSatisfy(key -> assertThat(key.value()).matches("c-[A-Za-z0-9_-]{22}"));
  }

  @Test
  void failureReportsCarryABoundedReason() {
    assertThat(ValuationFailure.of("val-1", "No access").reason()).isEqualTo("No access");
    assertThatThrownBy(() -> ValuationFailure.of("val-1", " "))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("reason"));
    assertThatThrownBy(() -> ValuationFailure.of("val-1", "x".repeat(2_001)))
        .isInstanceOf(InvalidValueException.class);
  }
}
