package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import org.junit.jupiter.api.Test;

class PassSucceedFailTest extends EngineTestSupport {

  @Test
  void passWithResultAndResultPathMergesIntoTheRawInput() {
    // The spec's "InputPath, ResultPath and OutputPath" example: the result lands at $.sum.
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Add", "States": {
              "Add": {"Type": "Pass", "InputPath": "$.numbers", "Result": 7,
                      "ResultPath": "$.sum", "End": true}}}
            """);

    ExecutionSnapshot done =
        run(engine, "{\"title\": \"Numbers to add\", \"numbers\": {\"val1\": 3, \"val2\": 4}}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(json(done.output().orElseThrow()))
        .isEqualTo(
            json(
                "{\"title\": \"Numbers to add\", \"numbers\": {\"val1\": 3, \"val2\": 4},"
                    + " \"sum\": 7}"));
  }

  @Test
  void resultPathOverwritesAnExistingFieldAndBuildsMissingParents() {
    // Spec: "If the raw input has a field at the location addressed by the ResultPath value then
    // in the output that field is discarded and overwritten by the state's result. Otherwise, a
    // new field is created in the state output, with intervening fields constructed as necessary."
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Overwrite", "States": {
              "Overwrite": {"Type": "Pass", "Result": "Hello", "ResultPath": "$.master.detail",
                            "Next": "Create"},
              "Create": {"Type": "Pass", "Result": 1, "ResultPath": "$.new.deeper.leaf",
                         "End": true}}}
            """);

    ExecutionSnapshot done = run(engine, "{\"master\": {\"detail\": [1, 2, 3], \"other\": true}}");

    assertThat(json(done.output().orElseThrow()))
        .isEqualTo(
            json(
                """
                {"master": {"detail": "Hello", "other": true},
                 "new": {"deeper": {"leaf": 1}}}
                """));
  }

  @Test
  void resultPathNullDiscardsTheResultAndPassesTheInputThrough() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "P", "States": {
              "P": {"Type": "Pass", "Result": {"ignored": true}, "ResultPath": null, "End": true}}}
            """);

    assertThat(json(run(engine, "{\"kept\": 1}").output().orElseThrow()))
        .isEqualTo(json("{\"kept\": 1}"));
  }

  @Test
  void parametersBuildTheEffectiveInputFromPathsAndTheContextObject() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Shape", "States": {
              "Shape": {"Type": "Pass",
                "Parameters": {
                  "static": "x",
                  "who.$": "$.person.name",
                  "execution.$": "$$.Execution.Name",
                  "state.$": "$$.State.Name",
                  "machine.$": "$$.StateMachine.Name",
                  "greeting.$": "States.Format('Hi {}', $.person.name)"},
                "ResultPath": "$.shaped",
                "OutputPath": "$.shaped",
                "End": true}}}
            """);

    ExecutionSnapshot done = run(engine, "{\"person\": {\"name\": \"Ada\"}}");

    assertThat(json(done.output().orElseThrow()))
        .isEqualTo(
            json(
                """
                {"static": "x", "who": "Ada", "execution": "run", "state": "Shape",
                 "machine": "TestMachine", "greeting": "Hi Ada"}
                """));
  }

  @Test
  void inputPathAndOutputPathNullPassAnEmptyObject() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "P", "States": {
              "P": {"Type": "Pass", "InputPath": null, "ResultPath": "$.seen", "Next": "S"},
              "S": {"Type": "Succeed", "OutputPath": null}}}
            """);

    ExecutionSnapshot done = run(engine, "{\"a\": 1}");

    assertThat(done.history().get(2).details()).containsEntry("output", "{\"a\":1,\"seen\":{}}");
    assertThat(done.output()).contains("{}");
  }

  @Test
  void succeedAppliesInputPathAndOutputPath() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Done", "States": {
              "Done": {"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}}}
            """);

    assertThat(run(engine, "{\"a\": {\"b\": [1]}}").output()).contains("[1]");
  }

  @Test
  void historyNamesEveryStepInOrder() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "P", "States": {
              "P": {"Type": "Pass", "Next": "S"},
              "S": {"Type": "Succeed"}}}
            """);

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.eventTypes())
        .containsExactly(
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded");
    assertThat(done.history()).allSatisfy(event -> assertThat(event.timestamp()).isEqualTo(NOW));
    assertThat(done.history())
        .extracting(HistoryEvent::previousEventId)
        .as("as Step Functions records them, the first state's entry follows no event")
        .containsExactly(0L, 0L, 2L, 3L, 4L, 5L);
    assertThat(done.history().get(1).details())
        .containsEntry("name", "P")
        .containsEntry("input", "{}");
    assertThat(done.startDate()).isEqualTo(NOW);
    assertThat(done.stopDate()).contains(NOW);
  }

  @Test
  void failEndsTheExecutionWithItsErrorAndCause() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "No", "States": {
              "No": {"Type": "Fail", "Error": "Rejected", "Cause": "Too risky"}}}
            """);

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("Rejected");
    assertThat(done.cause()).contains("Too risky");
    assertThat(done.output()).isEmpty();
    assertThat(done.eventTypes())
        .containsExactly("ExecutionStarted", "FailStateEntered", "ExecutionFailed");
    assertThat(done.history().get(2).details())
        .containsEntry("error", "Rejected")
        .containsEntry("cause", "Too risky");
  }

  @Test
  void failTakesErrorAndCauseFromPaths() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "No", "States": {
              "No": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$$.Execution.Name"}}}
            """);

    ExecutionSnapshot done = run(engine, "{\"e\": \"FromInput\"}");

    assertThat(done.error()).contains("FromInput");
    assertThat(done.cause()).contains("run");
  }

  @Test
  void anInvalidDollarFieldMakesTheDefinitionInvalid() {
    assertThatThrownBy(
            () ->
                engine(
                    """
                    {"StartAt": "Shape", "States": {
                      "Shape": {"Type": "Pass", "Parameters": {"taskToken.$": "Task.Token"},
                                "End": true}}}
                    """))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage(
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field"
                + " 'taskToken.$' must be a valid JSONPath or a valid intrinsic function call at"
                + " /States/Shape/Parameters'");
  }

  @Test
  void aPathThatMatchesNothingFailsTheExecutionWithStatesRuntime() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.nope", "End": true}}}
            """);

    ExecutionSnapshot done = run(engine, "{\"yes\": 1}");

    assertThat(done.error()).contains("States.Runtime");
    assertThat(done.cause().orElseThrow())
        .endsWith("Invalid path '$.nope' : No results for path: $['nope']");
  }

  @Test
  void anInfiniteLoopStopsAtTheHistoryLimit() {
    WorkflowEngine engine =
        engine("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Next\": \"P\"}}}");

    ExecutionSnapshot done = run(engine, "{}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.cause().orElseThrow()).contains("limit of 25000 history events");
  }
}
