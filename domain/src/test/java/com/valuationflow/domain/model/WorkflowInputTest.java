package com.valuationflow.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkflowInputTest {

  private static WorkflowInput input(String nameOrNumber) {
    return new WorkflowInput(
        LoanApplication.of("app-1", nameOrNumber, "PO1 1CE"), Duration.ofHours(1));
  }

  @Test
  void writesTheApplicationAndItsValuationTimeout() {
    assertThat(input("Rose Cottage").json())
        .isEqualTo(
            "{\"applicationReference\":\"app-1\","
                + "\"property\":{\"nameOrNumber\":\"Rose Cottage\",\"postcode\":\"PO1 1CE\"},"
                + "\"valuationTimeoutSeconds\":3600}");
  }

  @Test
  void escapesQuotesAndBackslashes() {
    assertThat(JsonText.quote("a\"b\\c\n\r\t\u0000\u001f"))
        .isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\u0000\\u001f\"");
    assertThat(input("Flat \"A\" \\ 2").json()).contains("\"Flat \\\"A\\\" \\\\ 2\"");
  }

  @Test
  void keepsOtherCharactersAsTheyAre() {
    assertThat(JsonText.quote("Flat 2/3 — Ünïcode 😀")).isEqualTo("\"Flat 2/3 — Ünïcode 😀\"");
  }

  @Test
  void escapesLoneSurrogatesSoTheTextStaysValidUtf8() {
    assertThat(JsonText.quote("x\ud83dy\ude00z")).isEqualTo("\"x\\ud83dy\\ude00z\"");
  }

  @Test
  void theTimeoutIsAWholeNumberOfSeconds() {
    assertThatThrownBy(
            () ->
                new WorkflowInput(
                    LoanApplication.of("app-1", "1", "PO1 1CE"), Duration.ofMillis(1500)))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void theTimeoutIsAtMostAYear() {
    assertThat(WorkflowInput.requireValidTimeout(Duration.ofDays(365))).hasDays(365);
    assertThatThrownBy(() -> WorkflowInput.requireValidTimeout(Duration.ofDays(366)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("from 1 to 31536000");
  }

  @Test
  void aValuationRequestIsWrittenAsTheValuersApiTakesIt() {
    ValuationRequest request =
        new ValuationRequest(
            Property.of("Flat \"2\"", "PO1 1CE"),
            java.net.URI.create("http://localhost:8080/webhooks/valuations?correlationId=c-1"),
            CorrelationKey.of("c-1"));

    assertThat(request.json())
        .isEqualTo(
            "{\"property\":{\"nameOrNumber\":\"Flat \\\"2\\\"\",\"postcode\":\"PO1 1CE\"},"
                + "\"callbackUrl\":\"http://localhost:8080/webhooks/valuations?correlationId=c-1\"}");
  }
}
