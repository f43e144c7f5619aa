package com.valuationflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.inmemory.workflow.ExecutionSnapshot;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.TaskFailedException;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The mock valuer: a public intake URL, and a state machine that waits and then calls back. */
class MockValuerStackTest {

  private static final String CALLBACK = "callback";
  private static final String INPUT =
      """
      {"callbackUrl": "https://loans.example/webhooks/valuations?correlationId=k1",
       "delaySeconds": 6,
       "callback": {"valuationReference": "val-1", "propertyValue": 250000}}
      """;

  private static Template template;
  private static String definition;
  private static String intakeId;
  private static String stateMachineId;

  private WorkflowEngine engine;

  @BeforeAll
  static void synthesize() {
    template =
        Template.fromStack(
            new MockValuerStack(new App(), "MockValuer", StackProps.builder().build()));
    intakeId = functionId("Intake");
    stateMachineId = template.getResourceId("AWS::StepFunctions::StateMachine");
    definition =
        Definitions.asl(
            Definitions.definitionString(template), Map.of(functionId("Callback"), CALLBACK));
    Definitions.writeForValidation("mock-valuer.asl.json", definition);
  }

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void aPublicFunctionUrlTakesRequestsAndStartsTheMockValuer() {
    template.hasResourceProperties(
        "AWS::Lambda::Url",
        Map.of(
            "AuthType",
            "NONE",
            "TargetFunctionArn",
            Map.of("Fn::GetAtt", List.of(intakeId, "Arn"))));
    template.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of("Action", "lambda:InvokeFunctionUrl", "FunctionUrlAuthType", "NONE"));
    template.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of("Action", "lambda:InvokeFunction", "InvokedViaFunctionUrl", true));
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Runtime",
            "nodejs22.x",
            "Environment",
            Map.of(
                "Variables",
                Map.of(
                    "STATE_MACHINE_ARN",
                    Map.of("Ref", stateMachineId),
                    "DELAY_SECONDS",
                    String.valueOf(MockValuerStack.DEFAULT_DELAY_SECONDS)))));
    template.hasResourceProperties(
        "AWS::IAM::Policy",
        Map.of(
            "PolicyDocument",
            Map.of(
                "Statement",
                List.of(
                    Map.of(
                        "Action", "states:StartExecution",
                        "Effect", "Allow",
                        "Resource", Map.of("Ref", stateMachineId))))));
    template.hasOutput(
        "ValuerUrl",
        Map.of(
            "Value",
            Map.of(
                "Fn::GetAtt", List.of(template.getResourceId("AWS::Lambda::Url"), "FunctionUrl"))));
  }

  @Test
  void theMockValuerWaitsForTheDelayInItsInputThenCallsBack() {
    Capture definitionString = new Capture();
    template.hasResourceProperties(
        "AWS::StepFunctions::StateMachine",
        Map.of("StateMachineType", "STANDARD", "DefinitionString", definitionString));

    assertThat(
            Match.serializedJson(
                    Match.objectLike(
                        Map.of(
                            "StartAt",
                            "Valuing",
                            "States",
                            Match.objectLike(
                                Map.of(
                                    "Valuing",
                                    Map.of(
                                        "Type",
                                        "Wait",
                                        "SecondsPath",
                                        "$.delaySeconds",
                                        "Next",
                                        "CallBack"))))))
                .test(
                    Definitions.asl(
                        definitionString.asObject(), Map.of(functionId("Callback"), CALLBACK)))
                .hasFailed())
        .isFalse();
  }

  @Test
  void theDefinitionRunsInMemoryWaitingThenPostingTheCallback() throws Exception {
    BlockingQueue<JsonNode> calls = new LinkedBlockingQueue<>();
    engine = engine();
    engine.registerFunction(
        CALLBACK,
        payload -> {
          calls.add(payload);
          return Definitions.json("{\"status\": 200}");
        });

    engine.start("val-1", INPUT);

    ExecutionSnapshot done = completion();
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.eventTypes()).contains("WaitStateEntered", "WaitStateExited");
    assertThat(calls.poll(1, TimeUnit.SECONDS)).isEqualTo(Definitions.json(INPUT));
    assertThat(done.output()).hasValueSatisfying(out -> assertThat(out).contains("200"));
  }

  @Test
  void aFailedCallbackIsRetried() {
    AtomicInteger attempts = new AtomicInteger();
    engine = engine();
    engine.registerFunction(
        CALLBACK,
        payload -> {
          if (attempts.incrementAndGet() < 3) {
            throw new TaskFailedException("CallbackFailed", "The callback answered HTTP 503");
          }
          return Definitions.json("{\"status\": 200}");
        });

    engine.start("val-1", INPUT);

    assertThat(completion().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(attempts).hasValue(3);
  }

  @Test
  void theInlineCodeFitsCloudFormationsLimit() {
    for (String script : List.of("intake", "callback")) {
      assertThat(MockValuerStack.script(script).getBytes(StandardCharsets.UTF_8))
          .as(script)
          .hasSizeLessThan(4096);
    }
  }

  private static WorkflowEngine engine() {
    return WorkflowEngine.builder(StateMachineDefinition.parse(definition))
        .secondLength(Duration.ofMillis(1))
        .stateMachineName("MockValuer")
        .build();
  }

  private ExecutionSnapshot completion() {
    return engine.awaitCompletion("val-1").orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static String functionId(String prefix) {
    return template.findResources("AWS::Lambda::Function").keySet().stream()
        .filter(id -> id.startsWith(prefix + "Function"))
        .findFirst()
        .orElseThrow();
  }
}
