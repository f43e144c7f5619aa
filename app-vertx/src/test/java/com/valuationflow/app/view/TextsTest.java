package com.valuationflow.app.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the view writes: escaped markup, and no token or correlation key in what it shows. */
class TextsTest {

  @Test
  void everyMarkupCharacterIsEscaped() {
    assertThat(Html.escape("<a href=\"x\" onclick='y'>&</a>\u0000"))
        .isEqualTo("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;\uFFFD");
  }

  @Test
  void tokensAndCorrelationKeysAreRedactedEvenInEscapedJson() {
    String shown =
        Texts.pretty(
            "{\"taskToken\":\"AQsecret\",\"payload\":\"{\\\"taskToken\\\":\\\"AQinner\\\"}\","
                + "\"callbackUrl\":\"https://x/webhooks/valuations?correlationId=c-secret\","
                + "\"correlationKey\":\"c-secret\"}");

    assertThat(shown).doesNotContain("AQsecret", "AQinner", "c-secret").contains("[REDACTED]");
  }

  @Test
  void longTextIsCut() {
    assertThat(Texts.pretty("x".repeat(10_000))).hasSizeLessThan(4_100).contains("more)");
  }
}
