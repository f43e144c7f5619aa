package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
