package com.valuationflow.domain.port;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkflowStarter} and its {@link WorkflowExecutions} promise, as Step Functions
 * documents {@code StartExecution} for Standard workflows: the application reference names the
 * execution; the same input again is idempotent, other input under the same name conflicts.
 */
public abstract class WorkflowStarterContract {

  protected static final WorkflowInput INPUT =
      new WorkflowInput(LoanApplication.of("app-1", "999", "PO1 1CE"), Duration.ofHours(1));

  protected abstract WorkflowStarter starter();

  protected abstract WorkflowExecutions executions();

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
  void otherInputUnderTheSameReferenceConflicts() {
    starter().start(INPUT);

    assertThat(
            starter()
                .start(
                    new WorkflowInput(
                        LoanApplication.of("app-1", "998", "PO1 1CE"), Duration.ofHours(1))))
        .isEqualTo(StartOutcome.CONFLICTS_WITH_EXISTING);
    assertThat(starter().start(new WorkflowInput(INPUT.application(), Duration.ofHours(2))))
        .isEqualTo(StartOutcome.CONFLICTS_WITH_EXISTING);
  }

  @Test
  void anApplicationNeverStartedIsNotFound() {
    starter().start(INPUT);

    assertThat(executions().find(ApplicationReference.of("app-2"))).isEmpty();
  }
}
