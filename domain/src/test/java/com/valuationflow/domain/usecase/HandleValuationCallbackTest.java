package com.valuationflow.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.testing.MapTaskTokenStore;
import com.valuationflow.domain.testing.RecordingWorkflowResumer;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandleValuationCallbackTest {

  private static final TaskToken TOKEN = TaskToken.of("token-1");

  private final MapTaskTokenStore store = new MapTaskTokenStore();
  private final RecordingWorkflowResumer resumer = new RecordingWorkflowResumer();
  private final HandleValuationCallback handleCallback =
      new HandleValuationCallback(store, resumer);

  @BeforeEach
  void parkTheToken() {
    store.park(
        new ParkedTask(
            new CorrelationKey("val-1"), TOKEN, ApplicationReference.of("app-ref"), Instant.MAX));
  }

  @Test
  void resumesTheWorkflowWithTheValuationAsTheTaskOutput() {
    HandleValuationCallback.Result result =
        handleCallback.handle(ValuationResult.of("val-1", 250_000));

    assertThat(result)
        .isEqualTo(new HandleValuationCallback.Resumed(ApplicationReference.of("app-ref")));
    assertThat(resumer.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.kind()).isEqualTo("succeed");
              assertThat(call.token()).isEqualTo(TOKEN);
              assertThat(call.output().json())
                  .isEqualTo("{\"valuationReference\":\"val-1\",\"propertyValue\":250000}");
            });
    assertThat(store.parked()).isEmpty();
  }

  @Test
  void anUnknownReferenceResumesNothing() {
    HandleValuationCallback.Result result = handleCallback.handle(ValuationResult.of("val-2", 1));

    assertThat(result)
        .isEqualTo(new HandleValuationCallback.UnknownReference(ValuationReference.of("val-2")));
    assertThat(resumer.calls()).isEmpty();
    assertThat(store.parked()).hasSize(1);
  }

  @Test
  void aSecondCallbackFindsNoToken() {
    handleCallback.handle(ValuationResult.of("val-1", 250_000));

    assertThat(handleCallback.handle(ValuationResult.of("val-1", 250_000)))
        .isInstanceOf(HandleValuationCallback.UnknownReference.class);
    assertThat(resumer.calls()).hasSize(1);
  }

  @Test
  void aTaskThatNoLongerWaitsIsReportedNotResumed() {
    resumer.answering(ResumeOutcome.TASK_TIMED_OUT);

    assertThat(handleCallback.handle(ValuationResult.of("val-1", 250_000)))
        .isEqualTo(
            new HandleValuationCallback.TaskNoLongerWaiting(
                ApplicationReference.of("app-ref"), ResumeOutcome.TASK_TIMED_OUT));
  }
}
