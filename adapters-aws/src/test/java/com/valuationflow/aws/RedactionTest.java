package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class RedactionTest {

  @Test
  void blanksMembersNamedLikeATokenInJson() {
    assertThat(Redaction.redactTokens("{\"taskToken\" : \"AQB1\",\"TaskToken\":\"AQB2\",\"a\":1}"))
        .isEqualTo("{\"taskToken\" : \"[REDACTED]\",\"TaskToken\":\"[REDACTED]\",\"a\":1}");
  }

  @Test
  void blanksThemInJsonEscapedIntoAString() {
    assertThat(Redaction.redactTokens("{\"cause\":\"{\\\"token\\\":\\\"AQB1\\\"}\"}"))
        .isEqualTo("{\"cause\":\"{\\\"token\\\":\\\"[REDACTED]\\\"}\"}");
  }

  @Test
  void leavesOtherTextAlone() {
    String text = "{\"valuationReference\":\"val-1\",\"note\":\"a token\"}";

    assertThat(Redaction.redactTokens(text)).isEqualTo(text);
    assertThat(Redaction.redactTokens(null)).isNull();
  }

  @Test
  void summarisesAServiceErrorByCodeStatusRequestIdMessageAndAttempts() {
    AwsServiceException e =
        (AwsServiceException)
            AwsServiceException.builder()
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("ThrottlingException")
                        .errorMessage("Rate exceeded")
                        .build())
                .statusCode(400)
                .requestId("req-1")
                .numAttempts(3)
                .build();

    assertThat(Redaction.summary(e))
        .isEqualTo("ThrottlingException (HTTP 400, request id req-1): Rate exceeded [attempts: 3]");
  }

  @Test
  void summarisesAClientErrorByItsClassAndMessage() {
    assertThat(Redaction.summary(SdkClientException.create("connection refused")))
        .isEqualTo("SdkClientException: connection refused");
  }

  @Test
  void findsASecretInCausesAndSuppressedExceptions() {
    IllegalStateException suppressed =
        new IllegalStateException("outer", new IllegalArgumentException("holds secret-1"));
    RuntimeException e = new RuntimeException("top", new RuntimeException("middle"));
    e.addSuppressed(suppressed);

    assertThat(Redaction.mentions(e, "secret-1")).isTrue();
    assertThat(Redaction.mentions(e, "secret-2")).isFalse();
  }

  @Test
  void endsOnACycleOfCauses() {
    RuntimeException first = new RuntimeException("first");
    RuntimeException second = new RuntimeException("second", first);
    first.initCause(second);

    assertThat(Redaction.mentions(first, "secret-1")).isFalse();
  }
}
