package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.inmemory.workflow.State.Jitter;
import com.valuationflow.inmemory.workflow.State.Retrier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The spec's "Error Handling": Retriers and Catchers on Task states. */
class RetryCatchTest extends EngineTestSupport {

  private final List<JsonNode> payloads = new CopyOnWriteArrayList<>();

  private WorkflowEngine engine(String retryAndCatch, TaskHandler handler) {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Call", "States": {
              "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "f",
                               "Payload": {"retryCount.$": "$$.State.RetryCount"}},
                %s,
                "ResultSelector": {"value.$": "$.Payload"},
                "End": true},
              "Recovered": {"Type": "Pass", "End": true},
              "Other": {"Type": "Pass", "End": true}}}
            """
                .formatted(retryAndCatch));
    engine.registerFunction(
        "f",
        payload -> {
          payloads.add(payload);
          return handler.invoke(payload);
        });
    return engine;
  }

  private static TaskHandler failingTimes(int failures, String error) {
    AtomicInteger calls = new AtomicInteger();
    return payload -> {
      if (calls.incrementAndGet() <= failures) {
        throw new TaskFailedException(error, "attempt " + calls.get());
      }
      return json("\"ok\"");
    };
  }

  @Test
  void retriesUntilTheTaskSucceeds() {
    WorkflowEngine engine =
        engine(
            "\"Retry\": [{\"ErrorEquals\": [\"Flaky\"], \"MaxAttempts\": 3}]",
            failingTimes(2, "Flaky"));

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).contains("{\"value\":\"ok\"}");
    assertThat(payloads).extracting(p -> p.get("retryCount").intValue()).containsExactly(0, 1, 2);
    assertThat(done.eventTypes())
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
  }

  @Test
  void maxAttemptsDefaultsToThreeRetries() {
    WorkflowEngine engine =
        engine("\"Retry\": [{\"ErrorEquals\": [\"States.ALL\"]}]", failingTimes(9, "E"));

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("E");
    assertThat(done.cause()).contains("attempt 4");
    assertThat(payloads).hasSize(4);
  }

  @Test
  void maxAttemptsZeroNeverRetries() {
    WorkflowEngine engine =
        engine("\"Retry\": [{\"ErrorEquals\": [\"E\"], \"MaxAttempts\": 0}]", failingTimes(1, "E"));

    assertThat(run(engine, "{}").status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(payloads).hasSize(1);
  }

  @Test
  void onlyTheFirstMatchingRetrierApplies() {
    // Spec: once a Retrier's MaxAttempts are used up, later Retriers are not consulted.
    WorkflowEngine engine =
        engine(
            """
            "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 1},
                      {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}]
            """,
            failingTimes(9, "E"));

    run(engine, "{}");

    assertThat(payloads).hasSize(2);
  }

  @Test
  void eachRetrierCountsItsOwnAttempts() {
    AtomicInteger calls = new AtomicInteger();
    WorkflowEngine engine =
        engine(
            """
            "Retry": [{"ErrorEquals": ["A"], "MaxAttempts": 1},
                      {"ErrorEquals": ["B"], "MaxAttempts": 1}]
            """,
            payload -> {
              int call = calls.incrementAndGet();
              if (call <= 2) {
                throw new TaskFailedException(call == 1 ? "A" : "B", null);
              }
              return json("1");
            });

    assertThat(run(engine, "{}").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(payloads).extracting(p -> p.get("retryCount").intValue()).containsExactly(0, 1, 2);
  }

  @Test
  void backoffMultipliesTheIntervalUpToMaxDelaySeconds() {
    Retrier retrier = new Retrier(List.of("E"), 2, 5, 3.0, 10, Jitter.NONE);

    assertThat(retrier.delaySeconds(0)).isEqualTo(2.0);
    assertThat(retrier.delaySeconds(1)).isEqualTo(6.0);
    assertThat(retrier.delaySeconds(2)).isEqualTo(10.0);
    assertThat(new Retrier(List.of("E"), 1, 3, 2.0, null, Jitter.NONE).delaySeconds(3))
        .isEqualTo(8.0);
  }

  @Test
  void retriesWaitIntervalSecondsOnTheScaledClock() {
    WorkflowEngine engine =
        engine(
            "\"Retry\": [{\"ErrorEquals\": [\"E\"], \"IntervalSeconds\": 25, \"BackoffRate\": 1}]",
            failingTimes(2, "E"));
    long started = System.nanoTime();

    run(engine, "{}");

    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(2 * 25 * SECOND.toNanos());
  }

  @Test
  void catchSendsTheErrorOutputToItsNextState() {
    WorkflowEngine engine =
        engine(
            "\"Catch\": [{\"ErrorEquals\": [\"Other\"], \"Next\": \"Other\"},"
                + " {\"ErrorEquals\": [\"E\"], \"Next\": \"Recovered\"}]",
            failingTimes(1, "E"));

    ExecutionSnapshot done = run(engine, "{\"kept\": false}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(json(done.output().orElseThrow()))
        .isEqualTo(json("{\"Error\": \"E\", \"Cause\": \"attempt 1\"}"));
    assertThat(done.eventTypes())
        .containsSubsequence("TaskFailed", "TaskStateExited", "PassStateEntered")
        .doesNotContain("ExecutionFailed");
    assertThat(done.history().get(6).details()).containsEntry("name", "Recovered");
  }

  @Test
  void catchResultPathPlacesTheErrorOutputInTheRawInput() {
    WorkflowEngine engine =
        engine(
            "\"Catch\": [{\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"Recovered\","
                + " \"ResultPath\": \"$.failure\"}]",
            failingTimes(1, "E"));

    assertThat(json(run(engine, "{\"kept\": true}").output().orElseThrow()))
        .isEqualTo(
            json("{\"kept\": true, \"failure\": {\"Error\": \"E\", \"Cause\": \"attempt 1\"}}"));
  }

  @Test
  void retriersRunOutBeforeCatchersApply() {
    WorkflowEngine engine =
        engine(
            """
            "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["E"], "Next": "Recovered"}]
            """,
            failingTimes(9, "E"));

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(payloads).hasSize(3);
  }

  @Test
  void statesTaskFailedMatchesAnyErrorButTimeout() {
    assertThat(StatesErrors.matches("States.TaskFailed", "Lambda.ResourceNotFoundException"))
        .isTrue();
    assertThat(StatesErrors.matches("States.TaskFailed", "States.HeartbeatTimeout")).isTrue();
    assertThat(StatesErrors.matches("States.TaskFailed", "States.Timeout")).isFalse();
    assertThat(StatesErrors.matches("States.ALL", "States.Timeout")).isTrue();
    assertThat(StatesErrors.matches("States.ALL", null)).isTrue();
    assertThat(StatesErrors.matches("E", null)).isFalse();
  }

  @Test
  void statesRuntimeIsNeitherRetriedNorCaughtEvenByStatesAll() {
    WorkflowEngine engine =
        engine(
            """
            "Retry": [{"ErrorEquals": ["States.ALL"]}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recovered"}],
            "OutputPath": "$.missing"
            """,
            payload -> json("\"ok\""));

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("States.Runtime");
    assertThat(payloads).hasSize(1);
    assertThat(StatesErrors.matches("States.ALL", "States.Runtime")).isFalse();
    assertThat(StatesErrors.matches("States.Runtime", "States.Runtime")).isFalse();
  }

  @Test
  void anUncaughtErrorFailsTheExecution() {
    WorkflowEngine engine =
        engine(
            "\"Catch\": [{\"ErrorEquals\": [\"Other\"], \"Next\": \"Other\"}]",
            failingTimes(1, "E"));

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.eventTypes()).endsWith("TaskFailed", "ExecutionFailed");
  }
}
