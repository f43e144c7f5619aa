package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** StartExecution, DescribeExecution, StopExecution and closing the engine. */
class ExecutionLifecycleTest extends EngineTestSupport {

  private final Waiter waiter = new Waiter();

  private WorkflowEngine waitingEngine() {
    WorkflowEngine engine = engine(waitingDefinition(""));
    engine.registerFunction("waiter", waiter);
    return engine;
  }

  @Test
  void startingARunningExecutionAgainWithTheSameInputIsIdempotent() {
    WorkflowEngine engine = waitingEngine();

    assertThat(engine.start("loan-1", "{\"a\": 1, \"b\": 2}")).isEqualTo(StartOutcome.STARTED);
    assertThat(engine.start("loan-1", "{\"b\": 2, \"a\": 1}"))
        .isEqualTo(StartOutcome.ALREADY_STARTED);
    assertThat(engine.start("loan-1", "{\"a\": 1}"))
        .isEqualTo(StartOutcome.CONFLICTS_WITH_EXISTING);
    waiter.nextPayload();
    assertThat(waiter.payloads).isEmpty();
  }

  @Test
  void theNameOfAClosedExecutionCannotBeReused() {
    WorkflowEngine engine = waitingEngine();
    engine.start("loan-1", "{}");
    engine.sendTaskSuccess(waiter.nextToken(), "{}");
    completion(engine, "loan-1");

    assertThat(engine.start("loan-1", "{}")).isEqualTo(StartOutcome.CONFLICTS_WITH_EXISTING);
  }

  @Test
  void ofConcurrentStartsWithOneNameExactlyOneStarts() throws Exception {
    WorkflowEngine engine = waitingEngine();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<StartOutcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        outcomes.add(
            pool.submit(
                () -> {
                  go.await();
                  return engine.start("same", "{}");
                }));
      }
      go.countDown();
      List<StartOutcome> results = new ArrayList<>();
      for (Future<StartOutcome> outcome : outcomes) {
        results.add(outcome.get(10, TimeUnit.SECONDS));
      }
      assertThat(results).containsOnlyOnce(StartOutcome.STARTED);
      assertThat(results)
          .filteredOn(r -> r != StartOutcome.STARTED)
          .containsOnly(StartOutcome.ALREADY_STARTED);
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "has space",
        "slash/name",
        "star*",
        "x123456789x123456789x123456789x123456789x123456789x123456789x123456789x123456789x"
      })
  void invalidNamesAreRefused(String name) {
    WorkflowEngine engine = waitingEngine();

    assertThatThrownBy(() -> engine.start(name, "{}")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inputMustBeJson() {
    WorkflowEngine engine = waitingEngine();

    assertThatThrownBy(() -> engine.start("x", "{oops"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("The execution input is not valid JSON");
    assertThat(engine.describe("x")).isEmpty();
  }

  @Test
  void describeShowsARunningExecution() {
    WorkflowEngine engine = waitingEngine();
    engine.start("loan-1", "{\"a\": 1}");
    waiter.nextPayload();

    ExecutionSnapshot running = engine.describe("loan-1").orElseThrow();

    assertThat(running.name()).isEqualTo("loan-1");
    assertThat(running.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(running.input()).isEqualTo("{\"a\":1}");
    assertThat(running.stopDate()).isEmpty();
    assertThat(running.output()).isEmpty();
    assertThat(running.eventTypes())
        .startsWith("ExecutionStarted", "TaskStateEntered", "TaskScheduled");
    assertThat(running.history().get(0).details()).containsEntry("input", "{\"a\":1}");
  }

  @Test
  void unknownExecutionsAreNotFound() {
    WorkflowEngine engine = waitingEngine();

    assertThat(engine.describe("nope")).isEmpty();
    assertThatThrownBy(() -> engine.awaitCompletion("nope"))
        .isInstanceOf(NoSuchElementException.class);
    assertThat(engine.stopExecution("nope", "E", "c")).isFalse();
  }

  @Test
  void stopExecutionAbortsAndExpiresTheWaitingToken() {
    WorkflowEngine engine = waitingEngine();
    engine.start("loan-1", "{}");
    var token = waiter.nextToken();

    assertThat(engine.stopExecution("loan-1", "Cancelled", "by the applicant")).isTrue();

    ExecutionSnapshot done = completion(engine, "loan-1");
    assertThat(done.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(done.eventTypes()).endsWith("ExecutionAborted");
    assertThat(engine.sendTaskSuccess(token, "{}").name()).isEqualTo("TASK_TIMED_OUT");
    assertThat(engine.stopExecution("loan-1", null, null)).isFalse();
  }

  @Test
  void closingTheEngineFailsPendingCompletionsAndRefusesStarts() {
    WorkflowEngine engine = waitingEngine();
    engine.start("loan-1", "{}");
    CompletableFuture<ExecutionSnapshot> completion = engine.awaitCompletion("loan-1");

    engine.close();

    assertThatThrownBy(completion::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> engine.start("loan-2", "{}"))
        .isInstanceOf(IllegalStateException.class);
  }
}
