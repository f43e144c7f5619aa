package com.valuationflow.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValuationPayloadTest {

  private static Map<String, Object> payload(Object postcode, Object timeout) {
    return Map.of(
        "taskToken",
        "secret-token",
        "loanApplication",
        Map.of(
            "applicationReference",
            "app-ref",
            "property",
            Map.of("nameOrNumber", "999", "postcode", postcode),
            "valuationTimeoutSeconds",
            timeout));
  }

  @Test
  void readsTheCommandTheTaskSends() {
    assertThat(RequestValuationPayload.parse(payload("PO1 1CE", 3600)))
        .isEqualTo(
            new RequestValuation.Command(
                TaskToken.of("secret-token"),
                LoanApplication.of("app-ref", "999", "PO1 1CE"),
                Duration.ofHours(1)));
  }

  @Test
  void namesTheFieldByItsPathAndNeverQuotesTheToken() {
    assertThatThrownBy(() -> RequestValuationPayload.parse(payload("nowhere", 3600)))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> assertThat(e.field()).isEqualTo("loanApplication.property.postcode"))
        .hasMessageStartingWith("'loanApplication.property.postcode' must be a UK postcode")
        .hasMessageNotContaining("secret-token");
    assertThatThrownBy(() -> RequestValuationPayload.parse(payload("PO1 1CE", 36.5)))
        .hasMessage(
            "'loanApplication.valuationTimeoutSeconds' must be a positive whole number of seconds");
    assertThatThrownBy(() -> RequestValuationPayload.parse(Map.of("taskToken", "t")))
        .hasMessage("'loanApplication' must be a JSON object");
  }

  @Test
  void describesWhatTheRequestCameTo() {
    assertThat(
            RequestValuationPayload.describe(
                new RequestValuation.ValuationRequested(ValuationReference.of("val-1"))))
        .containsExactly(
            Map.entry("outcome", "ValuationRequested"), Map.entry("valuationReference", "val-1"));
  }
}
