package com.valuationflow.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.port.TaskTokenStore.ParkOutcome;
import com.valuationflow.domain.port.Valuer;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.testing.MutableClock;
import com.valuationflow.domain.testing.RecordingWorkflowResumer;
import com.valuationflow.domain.testing.StubTaskTokenStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestValuationTest {

  private static final URI CALLBACK = URI.create("http://localhost:8080/webhooks/valuations");
  private static final TaskToken TOKEN = TaskToken.of("token-1");
  private static final CorrelationKey KEY = CorrelationKey.of("c-application-key");
  private static final ValuationReference REFERENCE = ValuationReference.of("val-1");

  private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
  private final StubTaskTokenStore store = new StubTaskTokenStore().valuationKeyAnswers(KEY);
  private final RecordingWorkflowResumer resumer = new RecordingWorkflowResumer();
  private final List<String> events = new ArrayList<>();
  private final List<ValuationRequest> requests = new ArrayList<>();

  private RequestValuation requestValuationWith(Valuer.ValuerReply reply) {
    Valuer valuer =
        request -> {
          events.add("valuer asked after " + store.calls());
          requests.add(request);
          return reply;
        };
    return new RequestValuation(valuer, store, resumer, CALLBACK, clock);
  }

  private static RequestValuation.Command command() {
    return new RequestValuation.Command(
        TOKEN, LoanApplication.of("app-ref", "999", "PO1 1CE"), Duration.ofHours(1));
  }

  @Test
  void parksTheTokenUntilTheTaskTimesOutBeforeAskingTheValuer() {
    store.recordReferenceAnswersParkedTask();

    requestValuationWith(new Valuer.Accepted(REFERENCE)).request(command());

    assertThat(events)
        .containsExactly("valuer asked after [valuationKeyFor(app-ref), park(" + KEY + ")]");
    assertThat(store.lastParked().token()).isEqualTo(TOKEN);
    assertThat(store.lastParked().expiresAt()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
  }

  @Test
  void handsTheValuerACallbackUrlAndAnIdempotencyKeyOfTheApplicationsValuation() {
    store.recordReferenceAnswersParkedTask();

    requestValuationWith(new Valuer.Accepted(REFERENCE)).request(command());

    assertThat(requests)
        .containsExactly(
            new ValuationRequest(
                command().loanApplication().property(),
                URI.create(CALLBACK + "?correlationId=" + KEY.value()),
                KEY));
  }

  @Test
  void aFirstAttemptProposesANewRandomKey() {
    StubTaskTokenStore fresh = new StubTaskTokenStore().recordReferenceAnswersParkedTask();
    Valuer valuer =
        request -> {
          requests.add(request);
          return new Valuer.Accepted(REFERENCE);
        };
    new RequestValuation(valuer, fresh, resumer, CALLBACK, clock).request(command());
    new RequestValuation(valuer, fresh, resumer, CALLBACK, clock).request(command());

    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).idempotencyKey()).isNotEqualTo(requests.get(1).idempotencyKey());
    assertThat(requests.get(0).callbackUrl().getQuery())
        .isEqualTo("correlationId=" + requests.get(0).idempotencyKey().value());
  }

  @Test
  void recordsTheValuersReferenceAndWaits() {
    store.recordReferenceAnswersParkedTask();

    RequestValuation.Result result =
        requestValuationWith(new Valuer.Accepted(REFERENCE)).request(command());

    assertThat(result).isEqualTo(new RequestValuation.ValuationRequested(REFERENCE));
    assertThat(store.calls()).last().isEqualTo("recordReference(" + KEY + ", val-1)");
    assertThat(resumer.calls()).isEmpty();
  }

  @Test
  void aCallbackThatCameBeforeTheReplyResumesTheTaskNow() {
    store.recordReferenceAnswers(
        Optional.of(
            com.valuationflow.domain.testing.ParkedTasks.aParkedTask()
                .withKey(KEY.value())
                .withToken(TOKEN.value())
                .build()
                .withCallback(ValuationResult.of("val-1", 250_000))
                .withValuationReference(REFERENCE)));

    RequestValuation.Result result =
        requestValuationWith(new Valuer.Accepted(REFERENCE)).request(command());

    assertThat(result)
        .isEqualTo(new RequestValuation.EarlyCallbackApplied(REFERENCE, ResumeOutcome.RESUMED));
    assertThat(resumer.calls())
        .singleElement()
        .satisfies(call -> assertThat(call.kind()).isEqualTo("succeed"));
    assertThat(store.calls()).last().isEqualTo("markResumed(" + KEY + ")");
  }

  @Test
  void anEarlyCallbackQuotingAnotherReferenceIsDiscarded() {
    store.recordReferenceAnswers(
        Optional.of(
            com.valuationflow.domain.testing.ParkedTasks.aParkedTask()
                .withKey(KEY.value())
                .build()
                .withCallback(ValuationResult.of("val-other", 250_000))
                .withValuationReference(REFERENCE)));

    RequestValuation.Result result =
        requestValuationWith(new Valuer.Accepted(REFERENCE)).request(command());

    assertThat(result).isEqualTo(new RequestValuation.ValuationRequested(REFERENCE));
    assertThat(resumer.calls()).isEmpty();
    assertThat(store.calls()).last().isEqualTo("discardCallback(" + KEY + ", val-other)");
  }

  @Test
  void aTaskDeliveredAgainIsNotRequestedAgain() {
    store.parkAnswers(ParkOutcome.KEY_ALREADY_IN_USE);

    RequestValuation.Result result =
        requestValuationWith(new Valuer.Accepted(REFERENCE)).request(command());

    assertThat(result)
        .isEqualTo(
            new RequestValuation.AlreadyRequested(
                command().loanApplication().applicationReference()));
    assertThat(requests).isEmpty();
  }

  @Test
  void anUnavailableValuerFailsTheTaskAndKeepsTheKeyForTheNextAttempt() {
    RequestValuation.Result result =
        requestValuationWith(new Valuer.Unavailable("HTTP 503")).request(command());

    assertThat(result).isEqualTo(new RequestValuation.ValuerUnavailable("HTTP 503"));
    assertThat(store.calls())
        .doesNotContain("expire(" + KEY + ")")
        .last()
        .isEqualTo("waitingTask(" + KEY + ")");
    assertThat(resumer.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.kind()).isEqualTo("fail");
              assertThat(call.token()).isEqualTo(TOKEN);
              assertThat(call.failure().error()).isEqualTo("ValuerUnavailable");
              assertThat(call.failure().cause()).isEqualTo("HTTP 503");
            });
  }

  @Test
  void aReplyForATaskThatStoppedWaitingChangesNothing() {
    store.recordReferenceAnswers(Optional.empty());

    assertThat(requestValuationWith(new Valuer.Accepted(REFERENCE)).request(command()))
        .isEqualTo(new RequestValuation.NoLongerWaiting(REFERENCE));
    assertThat(resumer.calls()).isEmpty();
  }

  @Test
  void aCallbackThatCameWhileTheReplyWasLostStandsForTheReply() {
    com.valuationflow.domain.model.ParkedTask called =
        com.valuationflow.domain.testing.ParkedTasks.aParkedTask()
            .withKey(KEY.value())
            .withToken(TOKEN.value())
            .build()
            .withCallback(ValuationResult.of("val-1", 250_000));
    store.waitingTaskAnswers(Optional.of(called));
    store.recordReferenceAnswers(Optional.of(called.withValuationReference(REFERENCE)));

    RequestValuation.Result result =
        requestValuationWith(new Valuer.Unavailable("no reply within 10 s")).request(command());

    assertThat(result)
        .isEqualTo(new RequestValuation.EarlyCallbackApplied(REFERENCE, ResumeOutcome.RESUMED));
    assertThat(store.calls()).contains("recordReference(" + KEY + ", val-1)");
    assertThat(resumer.calls())
        .singleElement()
        .satisfies(call -> assertThat(call.kind()).isEqualTo("succeed"));
  }
}
