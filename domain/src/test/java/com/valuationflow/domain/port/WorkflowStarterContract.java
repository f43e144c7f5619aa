package com.valuationflow.domain.port;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.ExecutionPage;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkflowStarter} and its {@link WorkflowExecutions} promise: the application
 * reference names the execution, as Step Functions documents {@code StartExecution} for Standard
 * workflows; the same application again is a repeat (also once its execution has ended, or with
 * another valuation timeout), another application under the same reference conflicts.
 */
public abstract class WorkflowStarterContract {

  protected static final WorkflowInput INPUT =
      new WorkflowInput(LoanApplication.of("app-1", "999", "PO1 1CE"), Duration.ofHours(1));

  /** Another application under {@link #INPUT}'s reference. */
  protected static final WorkflowInput OTHER_APPLICATION =
      new WorkflowInput(LoanApplication.of("app-1", "998", "PO1 1CE"), Duration.ofHours(1));

  protected abstract WorkflowStarter starter();

  protected abstract WorkflowExecutions executions();

  /** Ends the application's running execution, as stopping it or a timeout would. */
  protected abstract void endExecution(ApplicationReference applicationReference);

  @Test
  void startsAnExecutionNamedByTheApplicationWithTheInput() {
    assertThat(starter().start(INPUT)).isEqualTo(StartOutcome.STARTED);

    WorkflowExecution execution = executions().find(ApplicationReference.of("app-1")).orElseThrow();
    assertThat(execution.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(execution.input()).isEqualTo(INPUT.json());
    assertThat(execution.history()).extracting(event -> event.type()).contains("ExecutionStarted");
  }

  @Test
  void startingTheSameInputAgainIsHarmless() {
    starter().start(INPUT);

    assertThat(starter().start(INPUT)).isEqualTo(StartOutcome.ALREADY_STARTED);
  }

  @Test
  void theSameInputAgainAfterItsExecutionEndedIsARepeatNotAConflict() {
    ApplicationReference reference = INPUT.application().applicationReference();
    starter().start(INPUT);
    endExecution(reference);

    assertThat(starter().start(INPUT)).isEqualTo(StartOutcome.ALREADY_STARTED);
    assertThat(starter().start(OTHER_APPLICATION)).isEqualTo(StartOutcome.CONFLICTS_WITH_EXISTING);
    assertThat(executions().find(reference).orElseThrow().status())
        .isNotEqualTo(ExecutionStatus.RUNNING);
  }

  @Test
  void anotherApplicationUnderTheSameReferenceConflicts() {
    starter().start(INPUT);

    assertThat(starter().start(OTHER_APPLICATION)).isEqualTo(StartOutcome.CONFLICTS_WITH_EXISTING);
  }

  @Test
  void theSameApplicationWithAnotherValuationTimeoutIsARepeatThatKeepsTheFirst() {
    starter().start(INPUT);

    assertThat(starter().start(new WorkflowInput(INPUT.application(), Duration.ofHours(2))))
        .isEqualTo(StartOutcome.ALREADY_STARTED);
    assertThat(executions().find(INPUT.application().applicationReference()).orElseThrow().input())
        .isEqualTo(INPUT.json());
  }

  @Test
  void executionsAreListedNewestFirstInPagesAndByStatus() {
    for (String reference : List.of("app-1", "app-2", "app-3")) {
      starter()
          .start(
              new WorkflowInput(
                  LoanApplication.of(reference, "999", "PO1 1CE"), Duration.ofHours(1)));
    }

    ExecutionPage first = executions().list(Optional.empty(), 2, Optional.empty());
    ExecutionPage rest = executions().list(Optional.empty(), 2, first.nextPageToken());

    assertThat(references(first)).containsExactly("app-3", "app-2");
    assertThat(first.nextPageToken()).isPresent();
    assertThat(references(rest)).containsExactly("app-1");
    assertThat(rest.nextPageToken()).isEmpty();
    assertThat(
            references(
                executions().list(Optional.of(ExecutionStatus.RUNNING), 10, Optional.empty())))
        .containsExactly("app-3", "app-2", "app-1");
    assertThat(
            executions()
                .list(Optional.of(ExecutionStatus.SUCCEEDED), 10, Optional.empty())
                .executions())
        .isEmpty();
  }

  @Test
  void theDefinitionIsStatesLanguage() {
    assertThat(executions().definition()).contains("\"StartAt\"").contains("\"States\"");
  }

  private static List<String> references(ExecutionPage page) {
    return page.executions().stream()
        .map(execution -> execution.applicationReference().value())
        .toList();
  }

  @Test
  void anApplicationNeverStartedIsNotFound() {
    starter().start(INPUT);

    assertThat(executions().find(ApplicationReference.of("app-2"))).isEmpty();
  }
}
