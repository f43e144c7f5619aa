package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import org.junit.jupiter.api.Test;

/** Parallel and Map states, and errors as Step Functions words and raises them. */
class ParallelMapAndErrorsTest extends EngineTestSupport {

  @Test
  void mapMaxConcurrencyKeepsThatManyIterationsWaitingAtOnce() {
    Waiter waiter = new Waiter();
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 2,
              "ItemSelector": {"item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
              "ItemProcessor": {"StartAt": "Wait", "States": {"Wait": {"Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": "waiter",
                               "Payload": {"token.$": "$$.Task.Token", "input.$": "$"}},
                "End": true}}},
              "End": true}}}
            """);
    engine.registerFunction("waiter", waiter);
    engine.start("exec", "[\"a\", \"b\", \"c\"]");

    TaskToken[] tokens = new TaskToken[3];
    for (int i = 0; i < 2; i++) {
      var payload = waiter.nextPayload();
      tokens[payload.at("/input/index").intValue()] =
          TaskToken.of(payload.get("token").textValue());
    }
    assertThat(tokens[0]).isNotNull();
    assertThat(tokens[1]).isNotNull();
    assertThat(waiter.payloads).as("the third waits for a free slot").isEmpty();
    assertThat(engine.sendTaskSuccess(tokens[1], "\"B\"")).isEqualTo(ResumeOutcome.RESUMED);
    var third = waiter.nextPayload();
    assertThat(third.at("/input/item").textValue()).isEqualTo("c");
    assertThat(engine.sendTaskSuccess(tokens[0], "\"A\"")).isEqualTo(ResumeOutcome.RESUMED);
    assertThat(engine.sendTaskSuccess(TaskToken.of(third.get("token").textValue()), "\"C\""))
        .isEqualTo(ResumeOutcome.RESUMED);

    ExecutionSnapshot done = completion(engine, "exec");
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(json(done.output().orElseThrow())).isEqualTo(json("[\"A\", \"B\", \"C\"]"));
  }

  @Test
  void itemsPathMayFilterAndSliceAsStepFunctionsAllows() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Each", "States": {"Each": {"Type": "Map",
              "ItemsPath": "$.items[?(@.value > 1)].name",
              "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass",
                "Parameters": {"upper.$": "States.Format('<{}>', $)"}, "End": true}}},
              "End": true}}}
            """);

    ExecutionSnapshot done =
        run(
            engine,
            "{\"items\": [{\"name\": \"a\", \"value\": 1}, {\"name\": \"b\", \"value\": 2},"
                + " {\"name\": \"c\", \"value\": 3}]}");

    assertThat(json(done.output().orElseThrow()))
        .isEqualTo(json("[{\"upper\": \"<b>\"}, {\"upper\": \"<c>\"}]"));
  }

  @Test
  void toleratedFailuresLetTheMapSucceedWithTheirErrorsInItsOutput() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ToleratedFailureCount": 1,
              "ItemProcessor": {"StartAt": "Check", "States": {
                "Check": {"Type": "Choice", "Choices": [
                  {"Variable": "$", "NumericGreaterThan": 1, "Next": "Bad"}], "Default": "Ok"},
                "Bad": {"Type": "Fail", "Error": "TooBig", "Cause": "over 1"},
                "Ok": {"Type": "Succeed"}}},
              "End": true}}}
            """);

    ExecutionSnapshot done = run(engine, "[1, 2]");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(json(done.output().orElseThrow()))
        .isEqualTo(json("[1, {\"Error\": \"TooBig\", \"Cause\": \"over 1\"}]"));
  }

  @Test
  void exceedingTheToleranceFailsTheMapWithExceedToleratedFailureThreshold() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ToleratedFailureCount": 0,
              "ItemProcessor": {"StartAt": "Bad", "States": {
                "Bad": {"Type": "Fail", "Error": "Nope"}}},
              "End": true}}}
            """);

    ExecutionSnapshot done = run(engine, "[1]");

    assertThat(done.error()).contains("States.ExceedToleratedFailureThreshold");
    assertThat(done.cause()).contains("The specified tolerated failure threshold was exceeded");
  }

  @Test
  void aFailingBranchAbortsItsSiblingAndItsErrorIsCaughtByTheParallelState() {
    Waiter waiter = new Waiter();
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Both", "States": {
              "Both": {"Type": "Parallel", "Branches": [
                {"StartAt": "Wait", "States": {"Wait": {"Type": "Task",
                  "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters": {"FunctionName": "waiter",
                                 "Payload": {"token.$": "$$.Task.Token"}}, "End": true}}},
                {"StartAt": "Pause", "States": {
                  "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Boom"},
                  "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "branch 2"}}}],
                "Catch": [{"ErrorEquals": ["Boom"], "ResultPath": "$.error", "Next": "Caught"}],
                "End": true},
              "Caught": {"Type": "Pass", "End": true}}}
            """);
    engine.registerFunction("waiter", waiter);
    engine.start("exec", "{}");
    TaskToken token = TaskToken.of(waiter.nextPayload().get("token").textValue());

    ExecutionSnapshot done = completion(engine, "exec");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(json(done.output().orElseThrow()).get("error"))
        .isEqualTo(json("{\"Error\": \"Boom\", \"Cause\": \"branch 2\"}"));
    assertThat(done.eventTypes())
        .containsSubsequence(
            "FailStateEntered",
            "TaskStateAborted",
            "ParallelStateFailed",
            "ParallelStateExited",
            "PassStateEntered");
    assertThat(engine.sendTaskSuccess(token, "{}")).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
  }

  @Test
  void aResultPathIntoAStringIsAResultPathMatchFailure() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "P", "States": {
              "P": {"Type": "Pass", "Result": 1, "ResultPath": "$.x", "End": true}}}
            """);

    ExecutionSnapshot done = run(engine, "\"text\"");

    assertThat(done.error()).contains("States.ResultPathMatchFailure");
    assertThat(done.cause().orElseThrow())
        .startsWith("An error occurred while executing the state 'P' (entered at the event id #2).")
        .contains("Unable to apply ReplacementPath '$.x'");
  }

  @Test
  void failStatesTakeTheirErrorAndCauseFromIntrinsicFunctions() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "F", "States": {"F": {"Type": "Fail",
              "ErrorPath": "States.Format('Err{}', $.code)",
              "CausePath": "States.Format('{} went wrong', $$.State.Name)"}}}
            """);

    ExecutionSnapshot done = run(engine, "{\"code\": 42}");

    assertThat(done.error()).contains("Err42");
    assertThat(done.cause()).contains("F went wrong");
  }

  @Test
  void contextTimestampsHaveThreeFractionalDigits() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
              "start.$": "$$.Execution.StartTime", "entered.$": "$$.State.EnteredTime"},
              "End": true}}}
            """);

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(json(done.output().orElseThrow()))
        .isEqualTo(
            json(
                "{\"start\": \"2025-03-14T09:00:00.000Z\","
                    + " \"entered\": \"2025-03-14T09:00:00.000Z\"}"));
  }

  @Test
  void aMissingPathIsExplainedInJaywaysWords() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.no.such",
              "End": true}}}
            """);

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.cause())
        .contains(
            "An error occurred while executing the state 'P' (entered at the event id #2)."
                + " Invalid path '$.no.such' : Missing property in path $['no']");
  }
}
