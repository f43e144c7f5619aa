package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.inmemory.workflow.ClosedTask.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Task TimeoutSeconds and HeartbeatSeconds, execution TimeoutSeconds, and the closed-task hook. */
class TimeoutTest extends EngineTestSupport {

  private final Waiter waiter = new Waiter();
  private final List<ClosedTask> closed = new CopyOnWriteArrayList<>();

  private WorkflowEngine waitingEngine(String definition) {
    return waitingEngine(definition, SECOND);
  }

  private WorkflowEngine waitingEngine(String definition, Duration secondLength) {
    WorkflowEngine engine = engine(definition, secondLength);
    engine.registerFunction("waiter", waiter);
    engine.addTaskTokenListener(closed::add);
    return engine;
  }

  @Test
  void aTaskWithoutCallbackWithinTimeoutSecondsTimesOut() {
    WorkflowEngine engine = waitingEngine(waitingDefinition("\"TimeoutSeconds\": 5"));
    engine.start("exec", "{}");

    ExecutionSnapshot done = completion(engine, "exec");
    TaskToken token = closed.get(0).token();

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("States.Timeout");
    assertThat(done.eventTypes()).endsWith("TaskTimedOut", "ExecutionFailed");
    assertThat(done.history().get(2).details()).containsEntry("timeoutInSeconds", "5");
    assertThat(engine.sendTaskSuccess(token, "{}")).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(closed)
        .containsExactly(
            new ClosedTask(
                token,
                "exec",
                "Wait for callback",
                Reason.TIMED_OUT,
                Optional.of("States.Timeout")));
  }

  @Test
  void timeoutSecondsPathReadsTheTimeoutFromTheInput() {
    WorkflowEngine engine =
        waitingEngine(waitingDefinition("\"TimeoutSecondsPath\": \"$.timeout\""));

    ExecutionSnapshot done = run(engine, "{\"timeout\": 3}");

    assertThat(done.error()).contains("States.Timeout");
    assertThat(done.history().get(2).details()).containsEntry("timeoutInSeconds", "3");
  }

  @Test
  void aTimeoutSecondsPathThatIsNotAPositiveIntegerIsARuntimeError() {
    WorkflowEngine engine =
        waitingEngine(waitingDefinition("\"TimeoutSecondsPath\": \"$.timeout\""));

    assertThat(run(engine, "{\"timeout\": \"soon\"}").error()).contains("States.Runtime");
  }

  private WorkflowEngine slowTaskEngine(
      int timeoutSeconds, CompletableFuture<Boolean> interrupted) {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Slow", "States": {
              "Slow": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "slow"}, "TimeoutSeconds": %d,
                "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Late"}],
                "End": true},
              "Late": {"Type": "Pass", "End": true}}}
            """
                .formatted(timeoutSeconds));
    engine.registerFunction(
        "slow",
        payload -> {
          waiter.payloads.add(payload);
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            interrupted.complete(true);
          }
          return null;
        });
    return engine;
  }

  @Test
  void aRequestResponseTaskThatRunsTooLongTimesOut() {
    WorkflowEngine engine = slowTaskEngine(2, new CompletableFuture<>());

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(json(done.output().orElseThrow()).get("Error").textValue())
        .isEqualTo("States.Timeout");
    assertThat(done.eventTypes())
        .containsSubsequence("TaskStarted", "TaskTimedOut", "PassStateEntered");
  }

  @Test
  void aHandlerStillRunningWhenItsTaskEndsIsInterrupted() throws Exception {
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    WorkflowEngine engine = slowTaskEngine(1_000_000, interrupted);
    engine.start("exec", "{}");
    waiter.nextPayload();

    engine.stopExecution("exec", "Stopped", null);

    assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void withoutHeartbeatsTheTaskTimesOutWithStatesTimeoutWhichHeartbeatTimeoutAlsoCatches() {
    WorkflowEngine engine =
        waitingEngine(
            waitingDefinition(
                "\"HeartbeatSeconds\": 3,"
                    + " \"Catch\": [{\"ErrorEquals\": [\"States.HeartbeatTimeout\"],"
                    + " \"Next\": \"Recovered\"}]"));
    engine.start("exec", "{}");

    ExecutionSnapshot done = completion(engine, "exec");
    TaskToken token = closed.get(0).token();

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.eventTypes())
        .containsSubsequence("TaskTimedOut", "TaskStateExited", "PassStateEntered");
    assertThat(json(done.output().orElseThrow()).get("Error").textValue())
        .isEqualTo("States.Timeout");
    assertThat(done.history())
        .filteredOn(event -> event.type().equals("TaskTimedOut"))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.details()).containsEntry("error", "States.Timeout");
              assertThat(event.details()).doesNotContainKey("cause");
            });
    assertThat(engine.sendTaskHeartbeat(token)).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(closed)
        .singleElement()
        .satisfies(
            task -> {
              assertThat(task.reason()).isEqualTo(Reason.TIMED_OUT);
              assertThat(task.error()).contains("States.HeartbeatTimeout");
            });
  }

  @Test
  void heartbeatsKeepTheTaskAlivePastHeartbeatSeconds() throws Exception {
    // One ASL second lasts 60 ms: HeartbeatSeconds 5 is 300 ms; heartbeats come every 20 ms.
    WorkflowEngine engine =
        waitingEngine(waitingDefinition("\"HeartbeatSeconds\": 5"), Duration.ofMillis(60));
    engine.start("exec", "{}");
    TaskToken token = waiter.nextToken();
    ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    try {
      heartbeats.scheduleAtFixedRate(
          () -> engine.sendTaskHeartbeat(token), 0, 20, TimeUnit.MILLISECONDS);
      CompletableFuture<ExecutionSnapshot> completion = engine.awaitCompletion("exec");

      assertThat(completion.completeOnTimeout(null, 750, TimeUnit.MILLISECONDS).get())
          .as("no heartbeat timeout for 2.5 heartbeat periods")
          .isNull();
      assertThat(engine.describe("exec").orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    } finally {
      heartbeats.shutdownNow();
      heartbeats.awaitTermination(1, TimeUnit.SECONDS);
    }

    assertThat(completion(engine, "exec").error()).contains("States.Timeout");
  }

  @Test
  void executionTimeoutSecondsTimesTheExecutionOut() {
    WorkflowEngine engine =
        waitingEngine(
            """
            {"StartAt": "Wait for callback", "TimeoutSeconds": 4, "States": {
              "Wait for callback": {"Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": "waiter", "Payload": {"token.$": "$$.Task.Token"}},
                "End": true}}}
            """);
    engine.start("exec", "{}");

    ExecutionSnapshot done = completion(engine, "exec");
    TaskToken token = closed.get(0).token();

    assertThat(done.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(done.error()).contains("States.Timeout");
    assertThat(done.eventTypes()).endsWith("ExecutionTimedOut").doesNotContain("TaskTimedOut");
    assertThat(done.stopDate()).isPresent();
    assertThat(engine.sendTaskSuccess(token, "{}")).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(closed)
        .singleElement()
        .extracting(ClosedTask::reason)
        .isEqualTo(Reason.EXECUTION_ENDED);
  }

  @Test
  void theListenerHearsOfTasksResumedByCallersToo() {
    WorkflowEngine engine = waitingEngine(waitingDefinition(""));
    engine.start("one", "{}");
    TaskToken first = waiter.nextToken();
    engine.start("two", "{}");
    TaskToken second = waiter.nextToken();

    engine.sendTaskSuccess(first, "{}");
    engine.sendTaskFailure(second, "Nope", null);

    assertThat(closed)
        .containsExactly(
            new ClosedTask(first, "one", "Wait for callback", Reason.SUCCEEDED, Optional.empty()),
            new ClosedTask(second, "two", "Wait for callback", Reason.FAILED, Optional.of("Nope")));
    assertThat(closed.toString()).doesNotContain(first.value()).doesNotContain(second.value());
  }

  @Test
  void aFailingListenerDoesNotDisturbTheEngine() {
    WorkflowEngine engine = waitingEngine(waitingDefinition(""));
    engine.addTaskTokenListener(
        task -> {
          throw new IllegalStateException("listener bug");
        });
    engine.start("exec", "{}");

    assertThat(engine.sendTaskSuccess(waiter.nextToken(), "{}")).isEqualTo(ResumeOutcome.RESUMED);
    assertThat(completion(engine, "exec").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(closed).hasSize(1);
  }
}
