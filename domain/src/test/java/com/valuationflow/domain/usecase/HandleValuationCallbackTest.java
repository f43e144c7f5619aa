package com.valuationflow.domain.usecase;

import static com.valuationflow.domain.testing.ParkedTasks.aParkedTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.port.ServiceUnavailableException;
import com.valuationflow.domain.port.TaskTokenStore.CallbackOutcome;
import com.valuationflow.domain.port.TaskTokenStore.CallbackResult;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.port.WorkflowResumer.TaskClosure;
import com.valuationflow.domain.testing.MutableClock;
import com.valuationflow.domain.testing.RecordingWorkflowResumer;
import com.valuationflow.domain.testing.StubTaskTokenStore;
import com.valuationflow.domain.usecase.HandleValuationCallback.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HandleValuationCallbackTest {

  private static final CorrelationKey KEY = CorrelationKey.of("c-1");
  private static final ValuationResult VALUATION = ValuationResult.of("val-1", 250_000);
  private static final ParkedTask REPLIED =
      aParkedTask()
          .withKey(KEY.value())
          .withToken("token-1")
          .build()
          .withValuationReference(ValuationReference.of("val-1"));

  private final StubTaskTokenStore store = new StubTaskTokenStore();
  private final RecordingWorkflowResumer resumer = new RecordingWorkflowResumer();
  private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
  private final HandleValuationCallback handleCallback =
      new HandleValuationCallback(store, resumer, clock);

  @Test
  void anAcceptedValuationResumesTheWorkflowWithItAsTheTaskOutput() {
    store.acceptCallbackAnswers(CallbackResult.accepted(REPLIED.withCallback(VALUATION)));

    assertThat(handleCallback.handle(KEY, VALUATION)).isEqualTo(Outcome.RESUMED);
    assertThat(resumer.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.kind()).isEqualTo("succeed");
              assertThat(call.token().value()).isEqualTo("token-1");
              assertThat(call.output().json())
                  .isEqualTo("{\"valuationReference\":\"val-1\",\"propertyValue\":250000}");
            });
    assertThat(store.calls()).last().isEqualTo("markResumed(" + KEY + ")");
  }

  @Test
  void anAcceptedFailureReportFailsTheTaskWithTheValuersReason() {
    ValuationFailure failure = ValuationFailure.of("val-1", "Property could not be accessed");
    store.acceptCallbackAnswers(CallbackResult.accepted(REPLIED.withCallback(failure)));

    assertThat(handleCallback.handle(KEY, failure)).isEqualTo(Outcome.RESUMED);
    assertThat(resumer.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.kind()).isEqualTo("fail");
              assertThat(call.failure().error()).isEqualTo("ValuationFailed");
              assertThat(call.failure().cause()).isEqualTo("Property could not be accessed");
            });
  }

  @Test
  void aCallbackBeforeTheValuersReplyIsHeldNotResumed() {
    store.acceptCallbackAnswers(
        CallbackResult.accepted(
            aParkedTask().withKey(KEY.value()).build().withCallback(VALUATION)));

    assertThat(handleCallback.handle(KEY, VALUATION)).isEqualTo(Outcome.HELD_UNTIL_REPLY);
    assertThat(resumer.calls()).isEmpty();
  }

  @Test
  void aTaskThatTimedOutMakesTheCallbackLateAndExpiresIt() {
    ParkedTask expiring =
        aParkedTask()
            .withKey(KEY.value())
            .expiringAt(clock.instant().plusSeconds(30))
            .build()
            .withValuationReference(ValuationReference.of("val-1"));
    store.acceptCallbackAnswers(CallbackResult.accepted(expiring.withCallback(VALUATION)));
    resumer.answering(ResumeOutcome.TASK_TIMED_OUT);

    assertThat(handleCallback.handle(KEY, VALUATION)).isEqualTo(Outcome.LATE);
    assertThat(store.calls()).last().isEqualTo("expire(" + KEY + ")");
  }

  @Test
  void aTaskWhoseAttemptFailedWhileItsExecutionRunsOnHoldsTheCallbackForTheNextAttempt() {
    store.acceptCallbackAnswers(CallbackResult.accepted(REPLIED.withCallback(VALUATION)));
    resumer
        .answering(ResumeOutcome.TASK_TIMED_OUT)
        .closing(TaskClosure.OTHERWISE_WHILE_EXECUTION_RUNS);

    assertThat(handleCallback.handle(KEY, VALUATION)).isEqualTo(Outcome.HELD_UNTIL_REPLY);
    assertThat(store.calls())
        .as("neither expired nor let go: the next attempt parks under the key and resumes with it")
        .containsExactly("acceptCallback(" + KEY + ", val-1)");
  }

  @Test
  void aTaskClosedByAnEarlierSendOfThisCallbackCountsAsResumed() {
    store.acceptCallbackAnswers(CallbackResult.accepted(REPLIED.withCallback(VALUATION)));
    resumer.answering(ResumeOutcome.TASK_TIMED_OUT).closing(TaskClosure.BY_THIS_ANSWER);

    assertThat(handleCallback.handle(KEY, VALUATION)).isEqualTo(Outcome.RESUMED);
    assertThat(resumer.calls())
        .extracting(RecordingWorkflowResumer.Call::kind)
        .containsExactly("succeed", "closureOf");
    assertThat(resumer.calls().get(1).output()).isEqualTo(VALUATION.toTaskOutput());
    assertThat(store.calls()).last().isEqualTo("markResumed(" + KEY + ")");
  }

  @Test
  void aFailureReportWhoseEarlierSendClosedTheTaskCountsAsResumed() {
    ValuationFailure failure = ValuationFailure.of("val-1", "No access to the property");
    store.acceptCallbackAnswers(CallbackResult.accepted(REPLIED.withCallback(failure)));
    resumer.answering(ResumeOutcome.TASK_TIMED_OUT).closing(TaskClosure.BY_THIS_ANSWER);

    assertThat(handleCallback.handle(KEY, failure)).isEqualTo(Outcome.RESUMED);
    assertThat(resumer.calls().get(1).failure())
        .isEqualTo(TaskFailure.of(HandleValuationCallback.VALUATION_FAILED, failure.reason()));
  }

  @Test
  void aTaskThatCannotBeToldClosedByUsLetsTheCallbackGoSoTheRetryFinishesTheJob() {
    store.acceptCallbackAnswers(CallbackResult.accepted(REPLIED.withCallback(VALUATION)));
    ServiceUnavailableException unreadable =
        new ServiceUnavailableException("execution history unreadable", null);
    resumer.answering(ResumeOutcome.TASK_TIMED_OUT).closureFailingWith(unreadable);

    assertThatThrownBy(() -> handleCallback.handle(KEY, VALUATION)).isSameAs(unreadable);
    assertThat(store.calls())
        .doesNotContain("expire(" + KEY + ")", "markResumed(" + KEY + ")")
        .last()
        .isEqualTo("discardCallback(" + KEY + ", val-1)");
  }

  @Test
  void aResumeThatFailsLetsTheCallbackGoSoTheValuersRetryIsAcceptedAfresh() {
    store.acceptCallbackAnswers(CallbackResult.accepted(REPLIED.withCallback(VALUATION)));
    ServiceUnavailableException unreachable =
        new ServiceUnavailableException("Step Functions unreachable", null);
    resumer.failingWith(unreachable);

    assertThatThrownBy(() -> handleCallback.handle(KEY, VALUATION)).isSameAs(unreachable);
    assertThat(store.calls()).last().isEqualTo("discardCallback(" + KEY + ", val-1)");
  }

  @Test
  void aRepeatWhileTheFirstIsBeingAppliedIsInProgress() {
    store.acceptCallbackAnswers(
        CallbackResult.inProgress(REPLIED.withCallback(VALUATION, clock.instant())));

    assertThat(handleCallback.handle(KEY, VALUATION)).isEqualTo(Outcome.DUPLICATE_IN_PROGRESS);
    assertThat(resumer.calls()).isEmpty();
  }

  @Test
  void aRepeatOfACallbackStrandedLongAgoResumesTheTask() {
    store.acceptCallbackAnswers(
        CallbackResult.inProgress(REPLIED.withCallback(VALUATION, clock.instant())));
    clock.advance(HandleValuationCallback.STUCK_AFTER.plusSeconds(1));

    assertThat(handleCallback.handle(KEY, VALUATION)).isEqualTo(Outcome.RESUMED);
    assertThat(resumer.calls())
        .singleElement()
        .satisfies(c -> assertThat(c.kind()).isEqualTo("succeed"));
    assertThat(store.calls()).last().isEqualTo("markResumed(" + KEY + ")");
  }

  @Test
  void aRepeatOfAnEarlyCallbackKeepsWaitingForTheReply() {
    store.acceptCallbackAnswers(
        CallbackResult.inProgress(
            aParkedTask().withKey(KEY.value()).build().withCallback(VALUATION, clock.instant())));
    clock.advance(HandleValuationCallback.STUCK_AFTER.plusSeconds(1));

    assertThat(handleCallback.handle(KEY, VALUATION)).isEqualTo(Outcome.DUPLICATE_IN_PROGRESS);
    assertThat(resumer.calls()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "DUPLICATE_OF_RESUMED, DUPLICATE",
    "CONFLICTS_WITH_ACCEPTED, CONFLICT",
    "LATE, LATE",
    "UNKNOWN, UNKNOWN"
  })
  void aCallbackTheStoreDoesNotAcceptResumesNothing(CallbackOutcome stored, Outcome expected) {
    store.acceptCallbackAnswers(CallbackResult.of(stored));

    assertThat(handleCallback.handle(KEY, VALUATION)).isEqualTo(expected);
    assertThat(resumer.calls()).isEmpty();
  }
}
