package com.valuationflow.inmemory.workflow;

import static com.valuationflow.inmemory.workflow.EngineTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IntrinsicFunctionsTest {

  private final JsonNode input =
      json(
          """
          {"name": "Ada", "age": 36, "doc": "{\\"k\\":[1,2]}", "obj": {"a": 1},
           "list": ["x", "y"], "csv": "a,b;c"}
          """);
  private final JsonNode context = json("{\"Execution\": {\"Name\": \"exec-1\"}}");

  static Stream<Arguments> calls() {
    return Stream.of(
        Arguments.of(
            "States.Format('Hello, {}! You are {}.', $.name, $.age)",
            "\"Hello, Ada! You are 36.\""),
        Arguments.of("States.Format('\\{\\} {}', $$.Execution.Name)", "\"{} exec-1\""),
        Arguments.of("States.Format('it\\'s {}', true)", "\"it's true\""),
        Arguments.of("States.StringToJson($.doc)", "{\"k\":[1,2]}"),
        Arguments.of("States.JsonToString($.obj)", "\"{\\\"a\\\":1}\""),
        Arguments.of("States.Array('a', 1, $.obj, null)", "[\"a\",1,{\"a\":1},null]"),
        Arguments.of("States.ArrayLength($.list)", "2"),
        Arguments.of("States.ArrayGetItem($.list, 1)", "\"y\""),
        Arguments.of("States.ArrayContains($.list, 'x')", "true"),
        Arguments.of("States.StringSplit($.csv, ',;')", "[\"a\",\"b\",\"c\"]"),
        Arguments.of("States.MathAdd($.age, -6)", "30"),
        Arguments.of("States.Base64Encode('Ada')", "\"QWRh\""),
        Arguments.of("States.Base64Decode('QWRh')", "\"Ada\""),
        Arguments.of("States.ArrayLength(States.Array(1, 2, 3))", "3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void evaluates(String call, String expected) {
    assertThat(evaluate(call)).isEqualTo(json(expected));
  }

  @Test
  void hashIsTheHexDigest() {
    assertThat(evaluate("States.Hash('abc', 'SHA-256')").textValue())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void uuidIsARandomVersion4Uuid() {
    assertThat(evaluate("States.UUID()").textValue())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
        .isNotEqualTo(evaluate("States.UUID()").textValue());
  }

  @Test
  void argumentsOfTheWrongKindAreAnIntrinsicFailure() {
    WorkflowError error =
        catchThrowableOfType(WorkflowError.class, () -> evaluate("States.StringToJson($.name)"));
    assertThat(error.error()).isEqualTo("States.IntrinsicFailure");

    assertThat(failure("States.Format('{} {}', $.name)").error())
        .isEqualTo("States.IntrinsicFailure");
    assertThat(failure("States.ArrayGetItem($.list, 5)").error())
        .isEqualTo("States.IntrinsicFailure");
  }

  @Test
  void unknownFunctionsAndBadSyntaxAreRuntimeErrors() {
    assertThat(failure("States.Nope($.name)").error()).isEqualTo("States.Runtime");
    assertThat(failure("States.Format('x', $.name").errorCause())
        .contains("must be a valid JSONPath or a valid intrinsic function call");
    assertThat(failure("States.Format('x') trailing").error()).isEqualTo("States.Runtime");
  }

  @Test
  void aPathArgumentThatMatchesNothingIsARuntimeError() {
    assertThat(failure("States.Format('{}', $.missing)").error()).isEqualTo("States.Runtime");
  }

  private JsonNode evaluate(String call) {
    return IntrinsicFunctions.evaluate("field.$", call, input, context);
  }

  private WorkflowError failure(String call) {
    return catchThrowableOfType(WorkflowError.class, () -> evaluate(call));
  }
}
