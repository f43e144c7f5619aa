package com.valuationflow.app.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each state's status and the waiting task, read from histories as Step Functions writes them. */
class ExecutionProgressTest {

  private static final StateMachineGraph GRAPH =
      StateMachineGraph.parse(LoanProcessorDefinition.load());
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String INPUT =
      "{\"applicationReference\":\"app-ref\",\"valuationTimeoutSeconds\":3600}";

  private final List<HistoryEvent> history = new ArrayList<>();

  @Test
  void theDefinitionIsDrawnInRowsFromItsStartState() {
    assertThat(GRAPH.startAt()).isEqualTo("RequestValuation");
    assertThat(GRAPH.node("RequestValuation").orElseThrow().row()).isZero();
    assertThat(GRAPH.node("RequestValuation").orElseThrow().waitsForCallback()).isTrue();
    assertThat(GRAPH.nodes())
        .filteredOn(node -> node.row() == 1)
        .extracting(StateMachineGraph.Node::name)
        .containsExactly(
            "Valued",
            "ValuationServiceTimedOut",
            "ValuationFailed",
            "ValuerUnavailable",
            "InvalidLoanApplication",
            "ValuationServiceUnavailable",
            "ValuationServiceError");
    assertThat(GRAPH.edges())
        .extracting(StateMachineGraph.Edge::label)
        .contains(
            "States.Timeout",
            "ValuationFailed",
            "ValuerUnavailable",
            "ValuationServiceUnavailable");
  }

  @Test
  void aTaskWaitingForItsCallbackNamesTheValuationAndWhenItTimesOut() {
    waiting(Map.of("valuationReference", "val-1"));

    ExecutionProgress progress = progress(ExecutionStatus.RUNNING, Duration.ofSeconds(1));

    assertThat(progress.status("RequestValuation")).isEqualTo(StateStatus.WAITING);
    assertThat(progress.status("Valued")).isEqualTo(StateStatus.NOT_REACHED);
    ExecutionProgress.WaitingTask waiting = progress.waiting().orElseThrow();
    assertThat(waiting.valuationReference()).contains("val-1");
    assertThat(waiting.since()).isEqualTo(T0.plusSeconds(3));
    assertThat(waiting.timesOutAt()).contains(T0.plusSeconds(3).plus(Duration.ofHours(1)));
  }

  @Test
  void theEnginesSubmissionOutputAndScheduledTimeoutAreReadToo() {
    waiting(
        Map.of(
            "output",
            "{\"Payload\":{\"outcome\":\"ValuationRequested\",\"valuationReference\":\"val-2\"}}"),
        Map.of("timeoutInSeconds", "100"));

    ExecutionProgress.WaitingTask waiting =
        progress(ExecutionStatus.RUNNING, Duration.ofMillis(10)).waiting().orElseThrow();

    assertThat(waiting.valuationReference()).contains("val-2");
    assertThat(waiting.timesOutAt()).contains(T0.plusSeconds(3).plusSeconds(1));
  }

  @Test
  void aSucceededCallbackIsGreenAllTheWay() {
    waiting(Map.of());
    event("TaskSucceeded", Map.of());
    event("TaskStateExited", Map.of("name", "RequestValuation"));
    event("SucceedStateEntered", Map.of("name", "Valued"));
    event("SucceedStateExited", Map.of("name", "Valued"));
    event("ExecutionSucceeded", Map.of());

    ExecutionProgress progress = progress(ExecutionStatus.SUCCEEDED, Duration.ofSeconds(1));

    assertThat(progress.status("RequestValuation")).isEqualTo(StateStatus.SUCCEEDED);
    assertThat(progress.status("Valued")).isEqualTo(StateStatus.SUCCEEDED);
    assertThat(progress.status("ValuationFailed")).isEqualTo(StateStatus.NOT_REACHED);
    assertThat(progress.waiting()).isEmpty();
  }

  @Test
  void aTimedOutTaskStaysRedThoughItsCatcherMovesOn() {
    waiting(Map.of());
    event("TaskTimedOut", Map.of("error", "States.Timeout"));
    event("TaskStateExited", Map.of("name", "RequestValuation"));
    event("FailStateEntered", Map.of("name", "ValuationServiceTimedOut"));
    event("ExecutionFailed", Map.of("error", "ValuationServiceTimedOut"));

    ExecutionProgress progress = progress(ExecutionStatus.FAILED, Duration.ofSeconds(1));

    assertThat(progress.status("RequestValuation")).isEqualTo(StateStatus.TIMED_OUT);
    assertThat(progress.status("ValuationServiceTimedOut")).isEqualTo(StateStatus.FAILED);
    assertThat(progress.status("Valued")).isEqualTo(StateStatus.NOT_REACHED);
  }

  @Test
  void aRetriedTaskRunsAgainAndAnAbortedOneIsRed() {
    event("ExecutionStarted", Map.of());
    event("TaskStateEntered", Map.of("name", "RequestValuation"));
    event("TaskScheduled", Map.of());
    event("TaskFailed", Map.of("error", "ValuerUnavailable"));
    event("TaskScheduled", Map.of());

    assertThat(progress(ExecutionStatus.RUNNING, Duration.ofSeconds(1)).status("RequestValuation"))
        .isEqualTo(StateStatus.RUNNING);

    event("ExecutionAborted", Map.of());
    assertThat(progress(ExecutionStatus.ABORTED, Duration.ofSeconds(1)).status("RequestValuation"))
        .isEqualTo(StateStatus.ABORTED);
  }

  @SafeVarargs
  private void waiting(Map<String, String> submitted, Map<String, String>... scheduled) {
    event("ExecutionStarted", Map.of("input", INPUT));
    event("TaskStateEntered", Map.of("name", "RequestValuation"));
    event("TaskScheduled", scheduled.length == 0 ? Map.of() : scheduled[0]);
    event("TaskStarted", Map.of());
    event("TaskSubmitted", submitted);
  }

  private void event(String type, Map<String, String> details) {
    long id = history.size() + 1L;
    history.add(new HistoryEvent(id, id - 1, T0.plusSeconds(id), type, details));
  }

  private ExecutionProgress progress(ExecutionStatus status, Duration secondLength) {
    return ExecutionProgress.of(
        new WorkflowExecution(
            ApplicationReference.of("app-ref"),
            status,
            T0,
            Optional.empty(),
            INPUT,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            history),
        GRAPH,
        secondLength);
  }
}
