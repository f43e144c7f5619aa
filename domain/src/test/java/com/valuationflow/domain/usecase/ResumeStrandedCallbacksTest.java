package com.valuationflow.domain.usecase;

import static com.valuationflow.domain.testing.ParkedTasks.aParkedTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.port.ServiceUnavailableException;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.port.WorkflowResumer.TaskClosure;
import com.valuationflow.domain.testing.MutableClock;
import com.valuationflow.domain.testing.RecordingWorkflowResumer;
import com.valuationflow.domain.testing.StubTaskTokenStore;
import com.valuationflow.domain.usecase.ResumeStrandedCallbacks.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeStrandedCallbacksTest {

  private static final ValuationResult VALUATION = ValuationResult.of("val-1", 250_000);

  private final StubTaskTokenStore store = new StubTaskTokenStore();
  private final RecordingWorkflowResumer resumer = new RecordingWorkflowResumer();
  private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:10:00Z");
  private final ResumeStrandedCallbacks resumeStranded =
      new ResumeStrandedCallbacks(store, resumer, clock, Duration.ofSeconds(30));

  private static ParkedTask stranded(String key) {
    return aParkedTask()
        .withKey(key)
        .withToken("token-" + key)
        .build()
        .withValuationReference(ValuationReference.of("val-1"))
        .withCallback(VALUATION, Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void asksForCallbacksAcceptedLongerAgoThanTheThreshold() {
    resumeStranded.resumeAll();

    assertThat(store.calls())
        .containsExactly(
            "strandedCallbacks(2026-01-01T00:09:30Z, " + ResumeStrandedCallbacks.BATCH + ")");
  }

  @Test
  void aStrandedCallbackResumesItsTaskWhichIsThenRecordedResumed() {
    store.strandedCallbacksAnswer(List.of(stranded("c-1")));

    Run run = resumeStranded.resumeAll();

    assertThat(run).isEqualTo(new Run(1, 0, 0));
    assertThat(resumer.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.kind()).isEqualTo("succeed");
              assertThat(call.token().value()).isEqualTo("token-c-1");
              assertThat(call.output().json()).contains("\"propertyValue\":250000");
            });
    assertThat(store.calls()).contains("markResumed(c-1)").doesNotContain("expire(c-1)");
  }

  @Test
  void aStrandedFailureReportFailsTheTask() {
    ValuationFailure failure = ValuationFailure.of("val-1", "no access");
    store.strandedCallbacksAnswer(
        List.of(
            aParkedTask()
                .withKey("c-1")
                .build()
                .withValuationReference(ValuationReference.of("val-1"))
                .withCallback(failure, Instant.parse("2026-01-01T00:00:00Z"))));

    resumeStranded.resumeAll();

    assertThat(resumer.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.kind()).isEqualTo("fail");
              assertThat(call.failure().error())
                  .isEqualTo(HandleValuationCallback.VALUATION_FAILED);
            });
  }

  /** Another instance, or the dead process itself, sent it before the record was written. */
  @Test
  void aTaskTheWorkflowClosedWithThisVeryAnswerIsRecordedResumedNotLate() {
    store.strandedCallbacksAnswer(List.of(stranded("c-1")));
    resumer.answering(ResumeOutcome.TASK_TIMED_OUT).closing(TaskClosure.BY_THIS_ANSWER);

    Run run = resumeStranded.resumeAll();

    assertThat(run).isEqualTo(new Run(1, 0, 0));
    assertThat(store.calls()).contains("markResumed(c-1)").doesNotContain("expire(c-1)");
  }

  @Test
  void aTaskThatTimedOutMeanwhileIsRecordedExpired() {
    store.strandedCallbacksAnswer(List.of(stranded("c-1")));
    resumer.answering(ResumeOutcome.TASK_TIMED_OUT).closing(TaskClosure.OTHERWISE);

    Run run = resumeStranded.resumeAll();

    assertThat(run).isEqualTo(new Run(0, 1, 0));
    assertThat(store.calls()).contains("expire(c-1)").doesNotContain("markResumed(c-1)");
  }

  /** Its valuer was answered long ago: letting the callback go would strand it for good. */
  @Test
  void aResumeThatFailsKeepsTheCallbackForTheNextRun() {
    store.strandedCallbacksAnswer(List.of(stranded("c-1"), stranded("c-2")));
    resumer.failingWith(new ServiceUnavailableException("Step Functions unavailable", null));

    Run run = resumeStranded.resumeAll();

    assertThat(run).isEqualTo(new Run(0, 0, 2));
    assertThat(store.calls())
        .noneMatch(call -> call.startsWith("discardCallback"))
        .noneMatch(call -> call.startsWith("markResumed"))
        .noneMatch(call -> call.startsWith("expire"));
  }

  @Test
  void aFullBatchIsFollowedByAnotherAndNoTaskIsResumedTwiceInOneRun() {
    List<ParkedTask> many = new ArrayList<>();
    for (int i = 0; i < ResumeStrandedCallbacks.BATCH; i++) {
      many.add(stranded("c-" + i));
    }
    // The stub answers the same full batch every time, as a store whose writes lag would.
    store.strandedCallbacksAnswer(many);

    Run run = resumeStranded.resumeAll();

    assertThat(run.resumed()).isEqualTo(ResumeStrandedCallbacks.BATCH);
    assertThat(resumer.calls()).hasSize(ResumeStrandedCallbacks.BATCH);
    assertThat(store.calls().stream().filter(call -> call.startsWith("strandedCallbacks")))
        .hasSize(2);
  }

  @Test
  void aNegativeThresholdIsRefused() {
    assertThatThrownBy(
            () -> new ResumeStrandedCallbacks(store, resumer, clock, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
