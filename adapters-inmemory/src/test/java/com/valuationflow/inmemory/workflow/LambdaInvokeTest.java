package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.domain.model.ExecutionStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code arn:aws:states:::lambda:invoke}: the request-response Lambda integration. */
class LambdaInvokeTest extends EngineTestSupport {

  private static final String DEFINITION =
      """
      {"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName.$": "$.function", "Payload": {"n.$": "$.n"}},
          "ResultSelector": {"doubled.$": "$.Payload.doubled", "status.$": "$.StatusCode"},
          "ResultPath": "$.result",
          "End": true}}}
      """;

  @Test
  void theHandlerGetsThePayloadAndItsResultIsTheResponsePayload() {
    WorkflowEngine engine = engine(DEFINITION);
    AtomicReference<JsonNode> received = new AtomicReference<>();
    engine.registerFunction(
        "double",
        payload -> {
          received.set(payload);
          return json("{\"doubled\": " + payload.get("n").intValue() * 2 + "}");
        });

    ExecutionSnapshot done = run(engine, "{\"function\": \"double\", \"n\": 21}");

    assertThat(received.get()).isEqualTo(json("{\"n\": 21}"));
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(json(done.output().orElseThrow()))
        .isEqualTo(
            json(
                "{\"function\": \"double\", \"n\": 21,"
                    + " \"result\": {\"doubled\": 42, \"status\": 200}}"));
    assertThat(done.eventTypes())
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
    assertThat(done.history().get(2).details())
        .containsEntry("resourceType", "lambda")
        .containsEntry("resource", "invoke")
        .containsEntry("parameters", "{\"FunctionName\":\"double\",\"Payload\":{\"n\":21}}");
  }

  @Test
  void theTaskResultIsTheLambdaInvokeResponse() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Call", "States": {
              "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "echo", "Payload.$": "$"}, "End": true}}}
            """);
    engine.registerFunction("echo", payload -> payload);

    JsonNode output = json(run(engine, "{\"hello\": \"world\"}").output().orElseThrow());

    assertThat(output.get("Payload")).isEqualTo(json("{\"hello\": \"world\"}"));
    assertThat(output.get("StatusCode").intValue()).isEqualTo(200);
    assertThat(output.get("ExecutedVersion").textValue()).isEqualTo("$LATEST");
    assertThat(output.at("/SdkHttpMetadata/HttpStatusCode").intValue()).isEqualTo(200);
  }

  @Test
  void withoutPayloadTheHandlerGetsAnEmptyObject() {
    WorkflowEngine engine =
        engine(
            """
            {"StartAt": "Call", "States": {
              "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "echo"}, "OutputPath": "$.Payload", "End": true}}}
            """);
    engine.registerFunction("echo", payload -> payload);

    assertThat(run(engine, "{\"ignored\": 1}").output()).contains("{}");
  }

  @Test
  void handlersRunOnAnEngineThreadNotTheCallers() {
    WorkflowEngine engine = engine(DEFINITION);
    CompletableFuture<Thread> handlerThread = new CompletableFuture<>();
    engine.registerFunction(
        "double",
        payload -> {
          handlerThread.complete(Thread.currentThread());
          return json("{\"doubled\": 0}");
        });

    run(engine, "{\"function\": \"double\", \"n\": 0}");

    assertThat(handlerThread.join()).isNotSameAs(Thread.currentThread());
    assertThat(handlerThread.join().getName()).startsWith("workflow-engine-worker");
  }

  @Test
  void aFunctionArnWithQualifierReachesTheFunctionRegisteredByName() {
    WorkflowEngine engine = engine(DEFINITION);
    engine.registerFunction("double", payload -> json("{\"doubled\": 2}"));

    ExecutionSnapshot done =
        run(
            engine,
            "{\"function\": \"arn:aws:lambda:eu-west-2:123456789012:function:double:live\","
                + " \"n\": 1}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void taskFailedExceptionFailsTheTaskWithItsErrorAndCause() {
    WorkflowEngine engine = engine(DEFINITION);
    engine.registerFunction(
        "double",
        payload -> {
          throw new TaskFailedException("NumberTooLarge", "21 is more than I can double");
        });

    ExecutionSnapshot done = run(engine, "{\"function\": \"double\", \"n\": 21}");

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("NumberTooLarge");
    assertThat(done.cause()).contains("21 is more than I can double");
    assertThat(done.eventTypes())
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "ExecutionFailed");
    assertThat(done.history().get(4).details())
        .containsEntry("error", "NumberTooLarge")
        .containsEntry("cause", "21 is more than I can double");
  }

  @Test
  void anyOtherExceptionFailsTheTaskWithItsSimpleClassName() {
    WorkflowEngine engine = engine(DEFINITION);
    engine.registerFunction(
        "double",
        payload -> {
          throw new IllegalStateException("broken");
        });

    ExecutionSnapshot done = run(engine, "{\"function\": \"double\", \"n\": 21}");

    assertThat(done.error()).contains("IllegalStateException");
    assertThat(done.cause()).contains("broken");
  }

  @Test
  void anUnregisteredFunctionFailsWithResourceNotFound() {
    WorkflowEngine engine = engine(DEFINITION);

    ExecutionSnapshot done = run(engine, "{\"function\": \"missing\", \"n\": 1}");

    assertThat(done.error()).contains("Lambda.ResourceNotFoundException");
    assertThat(done.cause().orElseThrow())
        .startsWith(
            "Function not found: arn:aws:lambda:local:000000000000:function:missing:$LATEST")
        .contains("Error Code: ResourceNotFoundException");
  }

  @Test
  void aFunctionNameThatIsNotAStringIsARuntimeError() {
    WorkflowEngine engine = engine(DEFINITION);

    ExecutionSnapshot done = run(engine, "{\"function\": 42, \"n\": 1}");

    assertThat(done.error()).contains("States.Runtime");
    assertThat(done.cause().orElseThrow())
        .contains("The value for the field 'FunctionName' must be a STRING");
  }

  @Test
  void aResultSelectorPathMissingFromTheResultIsARuntimeError() {
    WorkflowEngine engine = engine(DEFINITION);
    engine.registerFunction("double", payload -> json("{\"tripled\": 3}"));

    ExecutionSnapshot done = run(engine, "{\"function\": \"double\", \"n\": 1}");

    assertThat(done.error()).contains("States.Runtime");
    assertThat(done.cause().orElseThrow()).contains("'doubled.$' could not be found");
    assertThat(done.eventTypes()).endsWith("TaskSucceeded", "ExecutionFailed");
  }
}
