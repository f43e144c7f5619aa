package com.valuationflow.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.port.Valuer;
import com.valuationflow.domain.testing.MapTaskTokenStore;
import com.valuationflow.domain.testing.MutableClock;
import com.valuationflow.domain.testing.RecordingWorkflowResumer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestValuationTest {

  private static final URI CALLBACK = URI.create("http://localhost:8080/webhooks/valuations");
  private static final TaskToken TOKEN = TaskToken.of("token-1");

  private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
  private final MapTaskTokenStore store = new MapTaskTokenStore();
  private final RecordingWorkflowResumer resumer = new RecordingWorkflowResumer();
  private final List<ValuationRequest> requests = new ArrayList<>();

  private RequestValuation requestValuationWith(Valuer.ValuerReply reply) {
    Valuer valuer =
        request -> {
          requests.add(request);
          return reply;
        };
    return new RequestValuation(valuer, store, resumer, CALLBACK, Duration.ofHours(1), clock);
  }

  private static RequestValuation.Command command() {
    return new RequestValuation.Command(TOKEN, LoanApplication.of("app-ref", "999", "PO1 1CE"));
  }

  @Test
  void asksTheValuerToValueThePropertyAndCallUsBack() {
    requestValuationWith(new Valuer.Accepted(ValuationReference.of("val-1"))).request(command());

    assertThat(requests)
        .containsExactly(
            new ValuationRequest(LoanApplication.of("a", "999", "PO1 1CE").property(), CALLBACK));
  }

  @Test
  void parksTheTokenUnderTheValuersReferenceUntilTheTaskTimesOut() {
    RequestValuation.Result result =
        requestValuationWith(new Valuer.Accepted(ValuationReference.of("val-1")))
            .request(command());

    assertThat(result)
        .isEqualTo(new RequestValuation.ValuationRequested(ValuationReference.of("val-1")));
    assertThat(store.parked())
        .containsExactly(
            java.util.Map.entry(
                new CorrelationKey("val-1"),
                new ParkedTask(
                    new CorrelationKey("val-1"),
                    TOKEN,
                    ApplicationReference.of("app-ref"),
                    Instant.parse("2026-01-01T01:00:00Z"))));
    assertThat(resumer.calls()).isEmpty();
  }

  @Test
  void anUnavailableValuerFailsTheTaskSoTheWorkflowCanRetry() {
    RequestValuation.Result result =
        requestValuationWith(new Valuer.Unavailable("HTTP 503")).request(command());

    assertThat(result).isEqualTo(new RequestValuation.ValuerUnavailable("HTTP 503"));
    assertThat(store.parked()).isEmpty();
    assertThat(resumer.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.kind()).isEqualTo("fail");
              assertThat(call.token()).isEqualTo(TOKEN);
              assertThat(call.failure().error()).isEqualTo(RequestValuation.VALUER_UNAVAILABLE);
              assertThat(call.failure().cause()).isEqualTo("HTTP 503");
            });
  }

  @Test
  void aReferenceAnotherTaskWaitsUnderIsNotStolen() {
    TaskToken other = TaskToken.of("other-token");
    store.park(
        new ParkedTask(
            new CorrelationKey("val-1"), other, ApplicationReference.of("other"), Instant.MAX));

    RequestValuation.Result result =
        requestValuationWith(new Valuer.Accepted(ValuationReference.of("val-1")))
            .request(command());

    assertThat(result).isInstanceOf(RequestValuation.ReferenceAlreadyInUse.class);
    assertThat(store.parked().get(new CorrelationKey("val-1")).token()).isEqualTo(other);
    assertThat(resumer.calls())
        .singleElement()
        .satisfies(call -> assertThat(call.failure().error()).isEqualTo("ValuationReferenceInUse"));
  }
}
