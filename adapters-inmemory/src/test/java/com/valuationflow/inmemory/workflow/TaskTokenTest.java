package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code .waitForTaskToken} and the SendTask* calls. */
class TaskTokenTest extends EngineTestSupport {

  private final Waiter waiter = new Waiter();

  private WorkflowEngine waitingEngine() {
    WorkflowEngine engine = engine(waitingDefinition("\"ResultPath\": \"$.answer\""));
    engine.registerFunction("waiter", waiter);
    return engine;
  }

  @Test
  void theHandlerGetsAFreshUnguessableTokenForEachTask() {
    WorkflowEngine engine = waitingEngine();
    start(engine, "one", "{}");
    start(engine, "two", "{}");

    String first = waiter.nextPayload().get("token").textValue();
    String second = waiter.nextPayload().get("token").textValue();

    assertThat(first).matches("vfwt1\\.[A-Za-z0-9_-]{43}");
    assertThat(second).matches("vfwt1\\.[A-Za-z0-9_-]{43}").isNotEqualTo(first);
  }

  @Test
  void sendTaskSuccessResumesTheTaskWithTheOutput() {
    WorkflowEngine engine = waitingEngine();
    start(engine, "exec", "{\"q\": 1}");
    JsonNode payload = waiter.nextPayload();
    assertThat(payload.get("input")).isEqualTo(json("{\"q\": 1}"));
    awaitEvent(event("exec", "TaskSubmitted"));

    ResumeOutcome outcome =
        engine.sendTaskSuccess(TaskToken.of(payload.get("token").textValue()), "{\"a\": true}");

    assertThat(outcome).isEqualTo(ResumeOutcome.RESUMED);
    ExecutionSnapshot done = completion(engine, "exec");
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(json(done.output().orElseThrow()))
        .isEqualTo(json("{\"q\": 1, \"answer\": {\"a\": true}}"));
    assertThat(done.eventTypes())
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
    assertThat(done.history().get(2).details())
        .containsEntry("resource", "invoke.waitForTaskToken");
    assertThat(done.history().get(4).details().get("output")).contains("\"accepted\":true");
  }

  @Test
  void aTokenResumesOnlyOnce() {
    WorkflowEngine engine = waitingEngine();
    start(engine, "exec", "{}");
    TaskToken token = waiter.nextToken();

    assertThat(engine.sendTaskSuccess(token, "{}")).isEqualTo(ResumeOutcome.RESUMED);
    assertThat(engine.sendTaskSuccess(token, "{}")).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(engine.sendTaskFailure(token, "E", "c")).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(engine.sendTaskHeartbeat(token)).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
  }

  @Test
  void malformedAndNeverIssuedTokensAreInvalid() {
    WorkflowEngine engine = waitingEngine();
    start(engine, "exec", "{}");
    String issued = waiter.nextToken().value();
    String forged =
        issued.substring(0, issued.length() - 4) + (issued.endsWith("AAAA") ? "BBBB" : "AAAA");

    assertThat(engine.sendTaskSuccess(TaskToken.of("not-a-token"), "{}"))
        .isEqualTo(ResumeOutcome.INVALID_TOKEN);
    assertThat(engine.sendTaskFailure(TaskToken.of(issued + "x"), "E", null))
        .isEqualTo(ResumeOutcome.INVALID_TOKEN);
    assertThat(engine.sendTaskHeartbeat(TaskToken.of(forged)))
        .isEqualTo(ResumeOutcome.INVALID_TOKEN);
    assertThat(engine.describe("exec").orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
  }

  @Test
  void outputThatIsNotJsonIsRefusedAndTheTaskKeepsWaiting() {
    WorkflowEngine engine = waitingEngine();
    start(engine, "exec", "{}");
    TaskToken token = waiter.nextToken();

    assertThatThrownBy(() -> engine.sendTaskSuccess(token, "{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("The task output is not valid JSON")
        .hasMessageNotContaining(token.value());
    assertThatThrownBy(() -> engine.sendTaskSuccess(token, "{} {}"))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(engine.sendTaskSuccess(token, "[1]")).isEqualTo(ResumeOutcome.RESUMED);
  }

  @Test
  void sendTaskFailureFailsTheTask() {
    WorkflowEngine engine = waitingEngine();
    start(engine, "exec", "{}");

    assertThat(engine.sendTaskFailure(waiter.nextToken(), "ValuerUnavailable", "timeout"))
        .isEqualTo(ResumeOutcome.RESUMED);

    ExecutionSnapshot done = completion(engine, "exec");
    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("ValuerUnavailable");
    assertThat(done.cause()).contains("timeout");
    assertThat(done.eventTypes()).contains("TaskFailed").endsWith("ExecutionFailed");
  }

  @Test
  void aHeartbeatOnAWaitingTaskIsAccepted() {
    WorkflowEngine engine = waitingEngine();
    start(engine, "exec", "{}");

    assertThat(engine.sendTaskHeartbeat(waiter.nextToken())).isEqualTo(ResumeOutcome.RESUMED);
  }

  @Test
  void aHandlerMayResumeItsOwnTaskBeforeReturning() {
    WorkflowEngine engine = engine(waitingDefinition(""));
    engine.registerFunction(
        "waiter",
        payload -> {
          ResumeOutcome outcome =
              engine.sendTaskSuccess(TaskToken.of(payload.get("token").textValue()), "\"early\"");
          return json("{\"outcome\": \"" + outcome + "\"}");
        });

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).contains("\"early\"");
  }

  @Test
  void aHandlerThatThrowsFailsTheWaitingTaskAndItsTokenExpires() {
    WorkflowEngine engine = engine(waitingDefinition(""));
    List<TaskToken> tokens = new ArrayList<>();
    engine.registerFunction(
        "waiter",
        payload -> {
          tokens.add(TaskToken.of(payload.get("token").textValue()));
          throw new TaskFailedException("CannotAsk", "nobody to ask");
        });

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.error()).contains("CannotAsk");
    assertThat(engine.sendTaskSuccess(tokens.get(0), "{}")).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
  }

  @Test
  void ofManyConcurrentResumesExactlyOneWins() throws Exception {
    WorkflowEngine engine = waitingEngine();
    start(engine, "exec", "{}");
    TaskToken token = waiter.nextToken();
    int threads = 16;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<ResumeOutcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String output = "{\"by\": " + i + "}";
        boolean fail = i % 2 == 1;
        Callable<ResumeOutcome> resume =
            () -> {
              go.await();
              return fail
                  ? engine.sendTaskFailure(token, "E", "c")
                  : engine.sendTaskSuccess(token, output);
            };
        outcomes.add(pool.submit(resume));
      }
      go.countDown();
      List<ResumeOutcome> results = new ArrayList<>();
      for (Future<ResumeOutcome> outcome : outcomes) {
        results.add(outcome.get(10, TimeUnit.SECONDS));
      }

      assertThat(results).containsOnlyOnce(ResumeOutcome.RESUMED);
      assertThat(results)
          .filteredOn(r -> r != ResumeOutcome.RESUMED)
          .containsOnly(ResumeOutcome.TASK_TIMED_OUT);
      ExecutionSnapshot done = completion(engine, "exec");
      assertThat(
              done.eventTypes().stream()
                  .filter(t -> t.equals("TaskSucceeded") || t.equals("TaskFailed")))
          .hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theTokenNeverAppearsInHistoryOrSnapshots() {
    WorkflowEngine engine = engine(waitingDefinition("\"ResultPath\": \"$.answer\""));
    engine.registerFunction(
        "waiter",
        payload -> {
          waiter.payloads.add(payload);
          return json("{\"echo\": \"" + payload.get("token").textValue() + "\"}");
        });
    start(engine, "exec", "{}");
    TaskToken token = waiter.nextToken();
    awaitEvent(event("exec", "TaskSubmitted"));
    engine.sendTaskFailure(token, "Boom " + token.value(), "because " + token.value());

    ExecutionSnapshot done = completion(engine, "exec");

    assertThat(done.toString()).doesNotContain(token.value()).contains("<redacted task token>");
    assertThat(done.history())
        .allSatisfy(event -> assertThat(event.toString()).doesNotContain(token.value()));
    assertThat(done.history().get(2).details().get("parameters"))
        .contains("\"token\":\"<redacted task token>\"");
    assertThat(token.toString()).doesNotContain(token.value());
  }

  /** As Step Functions' history: a caller finds its task's events by the token it holds. */
  @Test
  void anEngineMayKeepTheTokenInTheScheduledTasksParametersOnly() {
    WorkflowEngine engine =
        WorkflowEngine.builder(
                StateMachineDefinition.parse(waitingDefinition("\"ResultPath\": \"$.answer\"")))
            .secondLength(SECOND)
            .tokensInTaskParameters(true)
            .build();
    try {
      engine.registerFunction(
          "waiter",
          payload -> {
            waiter.payloads.add(payload);
            return json("{\"echo\": \"" + payload.get("token").textValue() + "\"}");
          });
      start(engine, "exec", "{}");
      TaskToken token = waiter.nextToken();
      engine.sendTaskFailure(token, "Boom " + token.value(), "because");

      ExecutionSnapshot done = completion(engine, "exec");

      assertThat(done.history().get(2).type()).isEqualTo("TaskScheduled");
      assertThat(done.history().get(2).details().get("parameters")).contains(token.value());
      assertThat(done.history().stream().filter(event -> event.toString().contains(token.value())))
          .hasSize(1);
    } finally {
      engine.close();
    }
  }
}
