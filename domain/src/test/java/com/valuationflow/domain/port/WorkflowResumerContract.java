package com.valuationflow.domain.port;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.port.WorkflowResumer.TaskClosure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkflowResumer} promises, as Step Functions documents {@code SendTask*}. An
 * adapter's test extends this class and says how to get a task that waits on a token.
 */
public abstract class WorkflowResumerContract {

  protected static final TaskOutput OUTPUT =
      new TaskOutput("{\"valuationReference\":\"val-1\",\"propertyValue\":250000}");
  protected static final TaskOutput OTHER_OUTPUT =
      new TaskOutput("{\"valuationReference\":\"val-1\",\"propertyValue\":260000}");
  protected static final TaskFailure FAILURE =
      TaskFailure.of("ValuationFailed", "The valuer could not access the property");

  protected abstract WorkflowResumer resumer();

  /** The token of a new task that waits for it, in the workflow service under test. */
  protected abstract TaskToken aWaitingTask();

  /** A token the service under test never issued. */
  protected abstract TaskToken aTokenNeverIssued();

  /** The application whose workflow's task waits, or waited, on the token. */
  protected abstract ApplicationReference applicationOf(TaskToken token);

  /** Closes the waiting task without any answer of ours, as a timeout does. */
  protected abstract void closeWithoutAnswer(TaskToken token);

  @Test
  void aTaskResumedWithAnOutputClosedByThatOutputOnly() {
    TaskToken token = aWaitingTask();
    resumer().succeed(token, OUTPUT);

    assertThat(resumer().closureOf(applicationOf(token), token, OUTPUT))
        .isEqualTo(TaskClosure.BY_THIS_ANSWER);
    assertThat(resumer().closureOf(applicationOf(token), token, OTHER_OUTPUT))
        .isEqualTo(TaskClosure.OTHERWISE);
    assertThat(resumer().closureOf(applicationOf(token), token, FAILURE))
        .isEqualTo(TaskClosure.OTHERWISE);
  }

  @Test
  void aTaskFailedWithAFailureClosedByThatFailureOnly() {
    TaskToken token = aWaitingTask();
    resumer().fail(token, FAILURE);

    assertThat(resumer().closureOf(applicationOf(token), token, FAILURE))
        .isEqualTo(TaskClosure.BY_THIS_ANSWER);
    assertThat(
            resumer()
                .closureOf(
                    applicationOf(token),
                    token,
                    TaskFailure.of("ValuationFailed", "Another cause")))
        .isEqualTo(TaskClosure.OTHERWISE);
    assertThat(resumer().closureOf(applicationOf(token), token, OUTPUT))
        .isEqualTo(TaskClosure.OTHERWISE);
  }

  @Test
  void aTaskClosedWithoutOurAnswerClosedOtherwise() {
    TaskToken token = aWaitingTask();
    closeWithoutAnswer(token);

    assertThat(resumer().succeed(token, OUTPUT)).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(resumer().closureOf(applicationOf(token), token, OUTPUT))
        .isEqualTo(TaskClosure.OTHERWISE);
  }

  @Test
  void aTaskThatStillWaitsHasNotClosedByAnyAnswer() {
    TaskToken token = aWaitingTask();

    assertThat(resumer().closureOf(applicationOf(token), token, OUTPUT))
        .isEqualTo(TaskClosure.OTHERWISE);
  }

  @Test
  void succeedResumesAWaitingTaskOnce() {
    TaskToken token = aWaitingTask();

    assertThat(resumer().succeed(token, OUTPUT)).isEqualTo(ResumeOutcome.RESUMED);
    assertThat(resumer().succeed(token, OUTPUT))
        .as("a completed task no longer waits")
        .isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
  }

  @Test
  void failResumesAWaitingTaskOnce() {
    TaskToken token = aWaitingTask();

    assertThat(resumer().fail(token, FAILURE)).isEqualTo(ResumeOutcome.RESUMED);
    assertThat(resumer().succeed(token, OUTPUT)).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(resumer().fail(token, FAILURE)).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
  }

  @Test
  void aHeartbeatKeepsTheTaskWaiting() {
    TaskToken token = aWaitingTask();

    assertThat(resumer().heartbeat(token)).isEqualTo(ResumeOutcome.RESUMED);
    assertThat(resumer().succeed(token, OUTPUT)).isEqualTo(ResumeOutcome.RESUMED);
    assertThat(resumer().heartbeat(token)).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
  }

  @Test
  void aTokenNeverIssuedResumesNothing() {
    assertThat(resumer().succeed(aTokenNeverIssued(), OUTPUT))
        .isIn(ResumeOutcome.INVALID_TOKEN, ResumeOutcome.TASK_DOES_NOT_EXIST);
  }

  @Test
  void aMalformedTokenIsInvalid() {
    assertThat(resumer().succeed(TaskToken.of("not-a-task-token"), OUTPUT))
        .isEqualTo(ResumeOutcome.INVALID_TOKEN);
  }

  @Test
  void ofConcurrentResumesOfOneTaskExactlyOneResumesIt() throws Exception {
    TaskToken token = aWaitingTask();
    int racers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<ResumeOutcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  return resumer().succeed(token, OUTPUT);
                }));
      }
      start.countDown();
      List<ResumeOutcome> results = new ArrayList<>();
      for (Future<ResumeOutcome> outcome : outcomes) {
        results.add(outcome.get());
      }
      assertThat(results).containsOnlyOnce(ResumeOutcome.RESUMED);
      assertThat(results).filteredOn(ResumeOutcome.TASK_TIMED_OUT::equals).hasSize(racers - 1);
    } finally {
      pool.shutdownNow();
    }
  }
}
