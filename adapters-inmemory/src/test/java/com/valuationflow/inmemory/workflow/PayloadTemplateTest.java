package com.valuationflow.inmemory.workflow;

import static com.valuationflow.inmemory.workflow.EngineTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Payload templates, as the spec's "Parameters" section and AWS describe them. */
class PayloadTemplateTest {

  private final JsonNode input =
      json("{\"flagged\": true, \"vals\": [0, 10, 20], \"name\": \"Ada\", \"n\": null}");
  private final JsonNode context = json("{\"Task\": {\"Token\": \"secret\"}, \"State\": {}}");

  @Test
  void specExampleReplacesDollarFieldsWithPathValuesAtAnyDepth() {
    JsonNode template =
        json(
            """
            {"flagged": 7,
             "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[2]"},
             "list": [{"name.$": "$.name"}, "$.name"],
             "token.$": "$$.Task.Token",
             "nothing.$": "$.n"}
            """);

    assertThat(PayloadTemplate.resolve(template, input, context))
        .isEqualTo(
            json(
                """
                {"flagged": 7, "parts": {"first": 0, "last3": 20},
                 "list": [{"name": "Ada"}, "$.name"], "token": "secret", "nothing": null}
                """));
  }

  @Test
  void aDollarFieldWhoseValueIsNotAPathIsARuntimeError() {
    WorkflowError error = resolveFailure(json("{\"Payload\": {\"taskToken.$\": \"Task.Token\"}}"));

    assertThat(error.error()).isEqualTo("States.Runtime");
    assertThat(error.errorCause())
        .isEqualTo(
            "The value for the field 'taskToken.$' must be a valid JSONPath or a valid intrinsic"
                + " function call");
  }

  @Test
  void aDollarFieldWhoseValueIsNotAStringIsARuntimeError() {
    assertThat(resolveFailure(json("{\"x.$\": 5}")).errorCause())
        .contains("'x.$' must be a valid JSONPath");
  }

  @Test
  void aPathThatMatchesNothingIsARuntimeErrorQuotingTheInput() {
    WorkflowError error = resolveFailure(json("{\"x.$\": \"$.missing\"}"));

    assertThat(error.error()).isEqualTo("States.Runtime");
    assertThat(error.errorCause())
        .startsWith("The JSONPath '$.missing' specified for the field 'x.$' could not be found in")
        .contains("\"name\":\"Ada\"");
  }

  @Test
  void aContextPathThatMatchesNothingDoesNotQuoteTheContextObject() {
    assertThat(resolveFailure(json("{\"x.$\": \"$$.Task.Nope\"}")).errorCause())
        .startsWith(
            "The JSONPath '$$.Task.Nope' specified for the field 'x.$' could not be found in"
                + " the input '")
        .doesNotContain("secret");
  }

  @Test
  void indefinitePathsSelectAnArray() {
    assertThat(
            PayloadTemplate.resolve(
                json("{\"x.$\": \"$.missing[*]\", \"y.$\": \"$..name\"}"), input, context))
        .isEqualTo(json("{\"x\": [], \"y\": [\"Ada\"]}"));
  }

  @Test
  void twoFieldsEndingUpWithTheSameNameAreARuntimeError() {
    assertThat(resolveFailure(json("{\"x\": 1, \"x.$\": \"$.name\"}")).error())
        .isEqualTo("States.Runtime");
  }

  @Test
  void resultPathNullDiscardsTheResultAndKeepsTheInput() {
    assertThat(DataFlow.resultPath(null, input, json("\"result\""))).isEqualTo(input);
  }

  @Test
  void resultPathDollarReplacesTheInputWithTheResult() {
    assertThat(DataFlow.resultPath(JsonPath.ROOT, input, json("\"result\"")))
        .isEqualTo(json("\"result\""));
  }

  @Test
  void resultPathThatCannotBeAppliedIsAResultPathMatchFailure() {
    WorkflowError error =
        catchThrowableOfType(
            WorkflowError.class,
            () -> DataFlow.resultPath(JsonPath.parse("$.name.first"), input, json("1")));

    assertThat(error.error()).isEqualTo("States.ResultPathMatchFailure");
    assertThat(error.errorCause()).startsWith("Unable to apply ReplacementPath '$.name.first'");
  }

  @Test
  void inputPathAndOutputPathNullYieldAnEmptyObject() {
    assertThat(DataFlow.inputPath(null, input, context)).isEqualTo(json("{}"));
    assertThat(DataFlow.outputPath(null, input, context)).isEqualTo(json("{}"));
  }

  @Test
  void inputPathThatMatchesNothingIsARuntimeError() {
    WorkflowError error =
        catchThrowableOfType(
            WorkflowError.class, () -> DataFlow.inputPath(JsonPath.parse("$.a.b"), input, context));

    assertThat(error.errorCause())
        .isEqualTo("Invalid path '$.a.b' : Missing property in path $['a']");
  }

  private WorkflowError resolveFailure(JsonNode template) {
    return catchThrowableOfType(
        WorkflowError.class, () -> PayloadTemplate.resolve(template, input, context));
  }
}
