package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ExecutionStatus;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChoiceTest extends EngineTestSupport {

  private static final String INPUT =
      """
      {"type": "Private", "value": 42, "limit": 50, "rate": 1.5, "flag": true, "nothing": null,
       "when": "2025-03-14T09:00:00Z", "later": "2025-03-14T10:00:00+01:00",
       "name": "valuation-report.pdf", "same": "Private"}
      """;

  static Stream<Arguments> rules() {
    return Stream.of(
        matches("{\"Variable\": \"$.type\", \"StringEquals\": \"Private\"}", true),
        matches("{\"Variable\": \"$.type\", \"StringEquals\": \"Public\"}", false),
        matches("{\"Variable\": \"$.type\", \"StringLessThan\": \"Q\"}", true),
        matches("{\"Variable\": \"$.type\", \"StringGreaterThanEquals\": \"Private\"}", true),
        matches("{\"Variable\": \"$.type\", \"StringEqualsPath\": \"$.same\"}", true),
        matches("{\"Variable\": \"$.name\", \"StringMatches\": \"*.pdf\"}", true),
        matches("{\"Variable\": \"$.name\", \"StringMatches\": \"valuation-*.doc\"}", false),
        matches("{\"Variable\": \"$.value\", \"NumericEquals\": 42}", true),
        matches("{\"Variable\": \"$.value\", \"NumericEquals\": 42.0}", true),
        matches("{\"Variable\": \"$.value\", \"NumericLessThan\": 42}", false),
        matches("{\"Variable\": \"$.value\", \"NumericLessThanEquals\": 42}", true),
        matches("{\"Variable\": \"$.value\", \"NumericGreaterThan\": 41.5}", true),
        matches("{\"Variable\": \"$.value\", \"NumericLessThanPath\": \"$.limit\"}", true),
        matches("{\"Variable\": \"$.rate\", \"NumericGreaterThanEqualsPath\": \"$.limit\"}", false),
        matches("{\"Variable\": \"$.type\", \"NumericEquals\": 42}", false),
        matches("{\"Variable\": \"$.flag\", \"BooleanEquals\": true}", true),
        matches("{\"Variable\": \"$.flag\", \"BooleanEqualsPath\": \"$.flag\"}", true),
        matches("{\"Variable\": \"$.when\", \"TimestampEquals\": \"2025-03-14T09:00:00Z\"}", true),
        matches("{\"Variable\": \"$.when\", \"TimestampEqualsPath\": \"$.later\"}", true),
        matches(
            "{\"Variable\": \"$.when\", \"TimestampLessThan\": \"2025-03-14T09:00:01Z\"}", true),
        matches(
            "{\"Variable\": \"$.type\", \"TimestampLessThan\": \"2025-03-14T09:00:01Z\"}", false),
        matches("{\"Variable\": \"$.nothing\", \"IsNull\": true}", true),
        matches("{\"Variable\": \"$.value\", \"IsNull\": false}", true),
        matches("{\"Variable\": \"$.absent\", \"IsPresent\": false}", true),
        matches("{\"Variable\": \"$.value\", \"IsPresent\": true}", true),
        matches("{\"Variable\": \"$.value\", \"IsNumeric\": true}", true),
        matches("{\"Variable\": \"$.value\", \"IsString\": true}", false),
        matches("{\"Variable\": \"$.flag\", \"IsBoolean\": true}", true),
        matches("{\"Variable\": \"$.when\", \"IsTimestamp\": true}", true),
        matches("{\"Variable\": \"$.name\", \"IsTimestamp\": true}", false),
        matches("{\"Variable\": \"$$.Execution.Name\", \"StringEquals\": \"run\"}", true),
        matches(
            """
            {"And": [{"Variable": "$.value", "NumericGreaterThan": 40},
                     {"Not": {"Variable": "$.flag", "BooleanEquals": false}}]}
            """,
            true),
        matches(
            """
            {"Or": [{"Variable": "$.value", "NumericGreaterThan": 100},
                    {"Variable": "$.type", "StringEquals": "Public"}]}
            """,
            false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("rules")
  void evaluatesTheRule(String rule, boolean expected) {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Decide", "States": {
              "Decide": {"Type": "Choice",
                         "Choices": [%s],
                         "Default": "No"},
              "Yes": {"Type": "Succeed"},
              "No": {"Type": "Succeed"}}}
            """
                .formatted(rule.strip().replaceFirst("}$", ", \"Next\": \"Yes\"}")));

    ExecutionSnapshot done = run(engine, INPUT);

    assertThat(done.history().get(3).details()).containsEntry("name", expected ? "Yes" : "No");
  }

  @Test
  void theFirstMatchingRuleWinsAndOutputPathApplies() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Decide", "States": {
              "Decide": {"Type": "Choice", "OutputPath": "$.value", "Choices": [
                  {"Variable": "$.value", "NumericGreaterThan": 1, "Next": "First"},
                  {"Variable": "$.value", "NumericGreaterThan": 2, "Next": "Second"}]},
              "First": {"Type": "Succeed"},
              "Second": {"Type": "Fail"}}}
            """);

    ExecutionSnapshot done = run(engine, INPUT);

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).contains("42");
    assertThat(done.eventTypes())
        .containsExactly(
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded");
  }

  @Test
  void noMatchAndNoDefaultFailsWithNoChoiceMatched() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Decide", "States": {
              "Decide": {"Type": "Choice", "Choices": [
                  {"Variable": "$.value", "NumericEquals": 0, "Next": "Done"}]},
              "Done": {"Type": "Succeed"}}}
            """);

    ExecutionSnapshot done = run(engine, INPUT);

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("States.NoChoiceMatched");
  }

  @Test
  void aVariableThatIsNotPresentIsARuntimeError() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Decide", "States": {
              "Decide": {"Type": "Choice", "Default": "Done", "Choices": [
                  {"Variable": "$.absent", "StringEquals": "x", "Next": "Done"}]},
              "Done": {"Type": "Succeed"}}}
            """);

    ExecutionSnapshot done = run(engine, INPUT);

    assertThat(done.error()).contains("States.Runtime");
    assertThat(done.cause().orElseThrow()).contains("Invalid path '$.absent'");
  }

  private static Arguments matches(String rule, boolean expected) {
    return Arguments.of(rule, expected);
  }
}
