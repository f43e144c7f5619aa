package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StateMachineDefinitionTest {

  @Test
  void parsesTheLoanProcessorDefinition() {
    StateMachineDefinition definition =
        StateMachineDefinition.parse(LoanProcessorDefinition.load());

    assertThat(definition.startAt()).isEqualTo("RequestValuation");
    assertThat(definition.stateNames())
        .containsExactlyInAnyOrder(
            "RequestValuation",
            "Valued",
            "ValuationServiceTimedOut",
            "ValuationFailed",
            "ValuerUnavailable",
            "InvalidLoanApplication",
            "ValuationServiceUnavailable",
            "ValuationServiceError");
    assertThat(definition.timeoutSeconds()).isEmpty();
    assertThat(definition.comment()).hasValueSatisfying(c -> assertThat(c).contains("valuation"));
  }

  @Test
  void theLoanDefinitionNamesItsFunctionByPlaceholderUntilSubstituted() {
    assertThat(LoanProcessorDefinition.load())
        .contains("\"FunctionName\": \"" + LoanProcessorDefinition.REQUEST_VALUATION_FUNCTION);
    assertThat(LoanProcessorDefinition.load("request-valuation"))
        .contains("\"FunctionName\": \"request-valuation\"")
        .doesNotContain("${");
    assertThatThrownBy(() -> LoanProcessorDefinition.load("bad\"name"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesEveryStateType() {
    StateMachineDefinition definition =
        StateMachineDefinition.parse(
            """
            {"StartAt": "P", "TimeoutSeconds": 60, "States": {
              "P": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "Next": "C"},
              "C": {"Type": "Choice", "Choices": [
                  {"Variable": "$.r.x", "NumericEquals": 1, "Next": "W"},
                  {"And": [{"Variable": "$.a", "IsPresent": true},
                           {"Not": {"Variable": "$.a", "StringEqualsPath": "$.b"}}], "Next": "F"}],
                "Default": "S"},
              "W": {"Type": "Wait", "Seconds": 1, "Next": "T"},
              "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "f"}, "TimeoutSeconds": 5, "HeartbeatSeconds": 2,
                "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 0},
                          {"ErrorEquals": ["States.ALL"]}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": null}],
                "ResultPath": null, "End": true},
              "S": {"Type": "Succeed"},
              "F": {"Type": "Fail", "Error": "E", "Cause": "C"}
            }}
            """);

    assertThat(definition.stateNames()).containsExactly("P", "C", "W", "T", "S", "F");
    assertThat(definition.timeoutSeconds()).contains(60);
  }

  static Stream<Arguments> invalidDefinitions() {
    return Stream.of(
        invalid("not json", "not valid JSON"),
        invalid("[]", "must be a JSON object"),
        invalid("{\"States\": {\"A\": {\"Type\": \"Succeed\"}}}", "'StartAt' is required"),
        invalid("{\"StartAt\": \"A\", \"States\": {}}", "'States' must be an object"),
        invalid(
            "{\"StartAt\": \"B\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}",
            "'StartAt' names state 'B'"),
        invalid(
            states("\"A\": {\"Type\": \"Pass\", \"Next\": \"Nowhere\"}"),
            "State 'A': 'Next' names state 'Nowhere', which does not exist"),
        invalid(
            states("\"A\": {\"Type\": \"Pass\"}"),
            "State 'A': must have either 'Next' or 'End': true"),
        invalid(
            states("\"A\": {\"Type\": \"Pass\", \"End\": false}"),
            "State 'A': must have either 'Next' or 'End': true"),
        invalid(
            states("\"A\": {\"Type\": \"Pass\", \"End\": true, \"Next\": \"A\"}"),
            "State 'A': must not have both 'Next' and 'End': true"),
        invalid(
            states("\"A\": {\"Type\": \"Teleport\", \"End\": true}"),
            "State 'A': unknown 'Type' \"Teleport\""),
        invalid(states("\"A\": {\"End\": true}"), "State 'A': 'Type' is required"),
        invalid(
            states("\"A\": {\"Type\": \"Parallel\", \"Branches\": [], \"End\": true}"),
            "Value cannot be empty at /States/A/Branches"),
        invalid(
            states("\"A\": {\"Type\": \"Pass\", \"Resouce\": \"x\", \"End\": true}"),
            "State 'A': the field 'Resouce' is not supported by a Pass state"),
        invalid(
            states("\"A\": {\"Type\": \"Succeed\", \"Next\": \"A\"}"),
            "the field 'Next' is not supported by a Succeed state"),
        invalid(
            states(
                "\"A\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::sqs:sendMessage\","
                    + " \"End\": true}"),
            "State 'A': 'Resource' \"arn:aws:states:::sqs:sendMessage\" is not supported"),
        invalid(
            states(
                "\"A\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\","
                    + " \"Parameters\": {\"Payload\": {}}, \"End\": true}"),
            "State 'A': 'Parameters' must be an object with a 'FunctionName'"),
        invalid(
            task("\"ResultPath\": \"$.a[*]\""),
            "'ResultPath' must be a Reference Path, which cannot use a wildcard"),
        invalid(
            task("\"ResultPath\": \"$$.Task\""),
            "'ResultPath' must be a path into the state's input"),
        invalid(
            task("\"InputPath\": \"input\""),
            "State 'A': 'InputPath': 'input' is not a valid JSONPath"),
        invalid(task("\"TimeoutSeconds\": 0"), "'TimeoutSeconds' must be an integer from 1"),
        invalid(
            task("\"TimeoutSeconds\": 5, \"HeartbeatSeconds\": 5"),
            "'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'"),
        invalid(
            task("\"TimeoutSeconds\": 5, \"TimeoutSecondsPath\": \"$.t\""),
            "must not have both 'TimeoutSeconds' and 'TimeoutSecondsPath'"),
        invalid(
            task("\"Retry\": [{\"ErrorEquals\": [\"States.ALL\"]}, {\"ErrorEquals\": [\"E\"]}]"),
            "State 'A': Retry[0]: \"States.ALL\" must appear alone"),
        invalid(
            task("\"Retry\": [{\"ErrorEquals\": []}]"),
            "Retry[0]: 'ErrorEquals' must be a non-empty array"),
        invalid(
            task("\"Retry\": [{\"ErrorEquals\": [\"E\"], \"BackoffRate\": 0.5}]"),
            "Retry[0]: 'BackoffRate' must be a number >= 1.0"),
        invalid(
            task("\"Retry\": [{\"ErrorEquals\": [\"E\"], \"IntervalSeconds\": 0}]"),
            "Retry[0]: 'IntervalSeconds' must be an integer from 1"),
        invalid(
            task("\"Catch\": [{\"ErrorEquals\": [\"E\"], \"Next\": \"Nowhere\"}]"),
            "State 'A': 'Catch[0].Next' names state 'Nowhere'"),
        invalid(task("\"Catch\": [{\"ErrorEquals\": [\"E\"]}]"), "Catch[0]: 'Next' is required"),
        invalid(
            states("\"A\": {\"Type\": \"Choice\", \"Choices\": []}"),
            "State 'A': 'Choices' must be a non-empty array"),
        invalid(
            choice("{\"Variable\": \"$.x\", \"StringEquals\": \"a\"}"),
            "Choices[0]: 'Next' is required"),
        invalid(
            choice("{\"Variable\": \"$.x\", \"StringEquals\": 1, \"Next\": \"A\"}"),
            "Choices[0]: the value of 'StringEquals' is not a valid string"),
        invalid(
            choice(
                "{\"Variable\": \"$.x\", \"StringEquals\": \"a\", \"IsNull\": true,"
                    + " \"Next\": \"A\"}"),
            "Choices[0]: a Choice Rule must have exactly one operator"),
        invalid(
            choice("{\"Variable\": \"$.x\", \"StringSimilar\": \"a\", \"Next\": \"A\"}"),
            "unknown Choice Rule operator 'StringSimilar'"),
        invalid(
            choice("{\"StringEquals\": \"a\", \"Next\": \"A\"}"),
            "'StringEquals' needs a 'Variable'"),
        invalid(
            choice(
                "{\"Not\": {\"Variable\": \"$.x\", \"IsNull\": true, \"Next\": \"A\"},"
                    + " \"Next\": \"A\"}"),
            "Choices[0].Not: a nested rule must not have 'Next'"),
        invalid(
            states(
                "\"A\": {\"Type\": \"Wait\", \"Seconds\": 1, \"SecondsPath\": \"$.s\","
                    + " \"End\": true}"),
            "must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp' and 'TimestampPath'"),
        invalid(
            states("\"A\": {\"Type\": \"Wait\", \"Timestamp\": \"tomorrow\", \"End\": true}"),
            "'Timestamp' must be an RFC 3339 timestamp"),
        invalid(
            states("\"A\": {\"Type\": \"Fail\", \"Error\": \"E\", \"ErrorPath\": \"$.e\"}"),
            "must not have both 'Error' and 'ErrorPath'"),
        invalid(
            "{\"StartAt\": \"A\", \"QueryLanguage\": \"JSONata\","
                + " \"States\": {\"A\": {\"Type\": \"Succeed\"}}}",
            "'QueryLanguage' \"JSONata\" is not supported"),
        invalid(
            "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"},"
                + " \"A\": {\"Type\": \"Succeed\"}}}",
            "Duplicate field 'A'"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidDefinitions")
  void rejectsAnInvalidDefinitionNamingStateAndField(String definition, String message) {
    assertThatThrownBy(() -> StateMachineDefinition.parse(definition))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  static Stream<Arguments> refusedAsStepFunctionsRefusesThem() {
    return Stream.of(
        invalid(
            pass("\"Parameters\": {\"x.$\": \"States.Nope($.a)\"}"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field"
                + " 'x.$' must be a valid JSONPath or a valid intrinsic function call at"
                + " /States/A/Parameters'"),
        invalid(
            pass("\"Parameters\": {\"n.$\": \"$.a.length()\"}"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field"
                + " 'n.$' must be a valid JSONPath or a valid intrinsic function call at"
                + " /States/A/Parameters'"),
        invalid(
            pass("\"Parameters\": {\"deep\": {\"n.$\": 1}}"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field"
                + " 'n.$' must be a STRING that contains a JSONPath but was an INTEGER at"
                + " /States/A/Parameters/deep'"),
        invalid(
            pass("\"Parameters\": {\"x\": 1, \"x.$\": \"$.a\"}"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'x' is"
                + " defined more than once at /States/A/Parameters'"),
        invalid(
            states("\"A\": {\"Type\": \"Pass\", \"Next\": \"Nowhere\"}"),
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: State 'A': 'Next' names"
                + " state 'Nowhere', which does not exist at /States/A/Next'"),
        invalid(
            states(
                "\"A\": {\"Type\": \"Parallel\", \"End\": true, \"Branches\": [{\"StartAt\":"
                    + " \"T\", \"States\": {\"T\": {\"Type\": \"Wait\", \"Seconds\": -1,"
                    + " \"End\": true}}}]}"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: State 'T': 'Seconds'"
                + " must be an integer from 0 to 99999999 at /States/A/Branches[0]/States/T/Seconds'"),
        invalid(
            states(
                "\"A\": {\"Type\": \"Map\", \"End\": true, \"ItemReader\": {},"
                    + " \"ItemProcessor\": {\"StartAt\": \"T\", \"States\": {\"T\":"
                    + " {\"Type\": \"Succeed\"}}}}"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: State 'A': the field"
                + " 'ItemReader' belongs to a distributed Map, which this engine does not run at"
                + " /States/A/ItemReader'"),
        invalid(
            states("\"A\": {\"Type\": \"Fail\", \"ErrorPath\": \"States.Nope()\"}"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: State 'A': the value for"
                + " the field 'ErrorPath' must be a valid JSONPath or a valid intrinsic function"
                + " call at /States/A/ErrorPath'"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refusedAsStepFunctionsRefusesThem")
  void refusesAtCreationWithStepFunctionsWordingAndTheLocation(String definition, String message) {
    assertThatThrownBy(() -> StateMachineDefinition.parse(definition))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessage(message);
  }

  @Test
  void theLocationAndCodeAreThereForCallersToReport() {
    InvalidDefinitionException refused =
        catchThrowableOfType(
            InvalidDefinitionException.class,
            () -> StateMachineDefinition.parse(task("\"TimeoutSeconds\": 0")));
    assertThat(refused.code()).isEqualTo("SCHEMA_VALIDATION_FAILED");
    assertThat(refused.location()).isEqualTo("/States/A/TimeoutSeconds");
    assertThat(refused.problem()).startsWith("State 'A': 'TimeoutSeconds'");
  }

  @Test
  void acceptsWhatStepFunctionsAccepts() {
    StateMachineDefinition definition =
        StateMachineDefinition.parse(
            states(
                """
                "A": {"Type": "Pass", "InputPath": "$.items[?(@.a >= 5)]",
                      "Parameters": {"ids.$": "$[*].id", "first.$": "$[0:1]",
                                     "all.$": "$..id", "t.$": "States.Format($.t, $.n)"},
                      "Next": "B"},
                "B": {"Type": "Map", "ItemsPath": "$.ids", "MaxConcurrency": 2,
                      "ToleratedFailurePercentage": 50,
                      "ItemSelector": {"id.$": "$$.Map.Item.Value"},
                      "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Succeed"}}},
                      "Next": "D"},
                "D": {"Type": "Parallel", "Branches": [
                        {"StartAt": "E", "States": {"E": {"Type": "Pass", "End": true}}}],
                      "Next": "F"},
                "F": {"Type": "Fail", "ErrorPath": "States.Format('E{}', $[0].n)",
                      "CausePath": "$[0].cause"}
                """));
    assertThat(definition.stateNames()).containsExactly("A", "B", "D", "F");
  }

  private static String pass(String fields) {
    return states("\"A\": {\"Type\": \"Pass\", " + fields + ", \"End\": true}");
  }

  private static Arguments invalid(String definition, String message) {
    return Arguments.of(definition, message);
  }

  private static String states(String states) {
    return "{\"StartAt\": \"A\", \"States\": {" + states + "}}";
  }

  private static String task(String fields) {
    return states(
        "\"A\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\","
            + " \"Parameters\": {\"FunctionName\": \"f\"}, "
            + fields
            + ", \"End\": true}");
  }

  private static String choice(String rule) {
    return states("\"A\": {\"Type\": \"Choice\", \"Choices\": [" + rule + "]}");
  }
}
