package com.valuationflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.aws.RequestValuationFunction;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.port.Valuer;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.inmemory.InMemoryTaskTokenStore;
import com.valuationflow.inmemory.InMemoryWorkflowResumer;
import com.valuationflow.inmemory.workflow.ExecutionSnapshot;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.constructs.Construct;

/**
 * The seed's mistake: payload keys written with the {@code .$} suffix although their values are
 * path tokens, to which CDK adds the suffix again. CDK renders {@code "taskToken.$.$"}; Step
 * Functions and the engine strip one suffix, so the function receives fields named {@code
 * taskToken.$} and {@code loanApplication.$}, finds neither of its own, and fails the task. Run
 * here with the deployed function's handler class, next to the correct payload.
 */
class SeedPayloadRegressionTest {

  private static final String FUNCTION = "request-valuation";
  private static final String INPUT =
      """
      {"applicationReference": "APP-1",
       "property": {"nameOrNumber": "12", "postcode": "PO1 1CE"},
       "valuationTimeoutSeconds": 3600}
      """;

  private static String seedDefinition;
  private static String fixedDefinition;

  private final BlockingQueue<JsonNode> payloads = new LinkedBlockingQueue<>();
  private WorkflowEngine engine;

  @BeforeAll
  static void synthesize() {
    Stack stack = new Stack(new App(), "SeedPayload");
    Function function =
        Function.Builder.create(stack, "RequestValuation")
            .runtime(Runtime.NODEJS_22_X)
            .handler("index.handler")
            .code(Code.fromInline("exports.handler = async () => ({});"))
            .build();
    TaskInput seedPayload =
        TaskInput.fromObject(
            Map.of(
                "taskToken.$", JsonPath.getTaskToken(),
                "loanApplication.$", JsonPath.getEntirePayload()));
    machine(stack, "Seed", function, seedPayload);
    machine(stack, "Fixed", function, LoanProcessorStateMachine.payload());

    Template template = Template.fromStack(stack);
    Map<String, String> placeholders =
        Map.of(template.getResourceId("AWS::Lambda::Function"), FUNCTION);
    Map<String, Map<String, Object>> machines =
        template.findResources("AWS::StepFunctions::StateMachine");
    for (Map.Entry<String, Map<String, Object>> machine : machines.entrySet()) {
      Object definition =
          ((Map<?, ?>) machine.getValue().get("Properties")).get("DefinitionString");
      if (machine.getKey().startsWith("Seed")) {
        seedDefinition = Definitions.asl(definition, placeholders);
      } else {
        fixedDefinition = Definitions.asl(definition, placeholders);
      }
    }
  }

  private static void machine(Stack stack, String id, Function function, TaskInput payload) {
    Construct scope = new Construct(stack, id);
    StateMachine.Builder.create(scope, "StateMachine")
        .definitionBody(
            DefinitionBody.fromChainable(
                LoanProcessorStateMachine.definition(scope, function, payload)))
        .build();
  }

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void cdkAddsTheSuffixASecondTime() {
    assertThat(payloadTemplate(seedDefinition))
        .isEqualTo(
            Definitions.json(
                "{\"taskToken.$.$\": \"$$.Task.Token\", \"loanApplication.$.$\": \"$\"}"));
    assertThat(payloadTemplate(fixedDefinition))
        .isEqualTo(
            Definitions.json("{\"taskToken.$\": \"$$.Task.Token\", \"loanApplication.$\": \"$\"}"));
  }

  @Test
  void withTheSeedsPayloadTheFunctionFindsNoLoanApplicationAndTheApplicationFails() {
    engine = engineRunningTheFunction(seedDefinition);

    engine.start("APP-1", INPUT);

    ExecutionSnapshot done = completion();
    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("InvalidLoanApplication");
    assertThat(done.history())
        .anySatisfy(
            event -> {
              assertThat(event.details().get("error")).isEqualTo("InvalidLoanApplication");
              assertThat(event.details().get("cause"))
                  .isEqualTo("'loanApplication' must be a JSON object");
            });
    JsonNode payload = payloads.remove();
    assertThat(payload.has("taskToken")).isFalse();
    assertThat(payload.has("taskToken.$")).isTrue();
    assertThat(payload.get("loanApplication.$")).isEqualTo(Definitions.json(INPUT));
  }

  @Test
  void withTheFixedPayloadTheFunctionRequestsTheValuationAndTheApplicationWaitsForIt() {
    engine = engineRunningTheFunction(fixedDefinition);

    CompletableFuture<HistoryEvent> submitted = new CompletableFuture<>();
    engine.addHistoryListener(
        (execution, event) -> {
          if (event.type().equals("TaskSubmitted")) {
            submitted.complete(event);
          }
        });

    engine.start("APP-1", INPUT);
    HistoryEvent answer = submitted.orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(answer.details().get("output")).contains("ValuationRequested", "VAL-1");
    JsonNode payload = payloads.remove();
    ResumeOutcome outcome =
        engine.sendTaskSuccess(
            TaskToken.of(payload.get("taskToken").textValue()),
            "{\"valuationReference\": \"VAL-1\", \"propertyValue\": 250000}");

    assertThat(outcome).isEqualTo(ResumeOutcome.RESUMED);
    ExecutionSnapshot done = completion();
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  private static JsonNode payloadTemplate(String definition) {
    return Definitions.json(definition).at("/States/RequestValuation/Parameters/Payload");
  }

  /**
   * An engine whose RequestValuation task runs {@code RequestValuationHandler}, the class the
   * deployed function runs, with in-memory adapters and a valuer that accepts every request. Like
   * Lambda's Java runtime, the engine names a task's error after the exception the handler throws.
   */
  private WorkflowEngine engineRunningTheFunction(String definition) {
    WorkflowEngine workflowEngine =
        WorkflowEngine.builder(StateMachineDefinition.parse(definition))
            .secondLength(Duration.ofMillis(2))
            .build();
    RequestValuationFunction function =
        new RequestValuationFunction(
            new RequestValuation(
                request -> new Valuer.Accepted(ValuationReference.of("VAL-1")),
                new InMemoryTaskTokenStore(Clock.systemUTC()),
                new InMemoryWorkflowResumer(workflowEngine),
                URI.create("https://loans.example/webhooks/valuations"),
                Clock.systemUTC()));
    RequestHandler<Map<String, Object>, Map<String, Object>> handler = handler(function);
    workflowEngine.registerFunction(
        FUNCTION,
        payload -> {
          payloads.add(payload);
          @SuppressWarnings("unchecked")
          Map<String, Object> event = Definitions.MAPPER.convertValue(payload, Map.class);
          return Definitions.MAPPER.valueToTree(handler.handleRequest(event, null));
        });
    return workflowEngine;
  }

  /** The deployed function's entry point, which has no package and so no import. */
  @SuppressWarnings("unchecked")
  private static RequestHandler<Map<String, Object>, Map<String, Object>> handler(
      RequestValuationFunction function) {
    try {
      return (RequestHandler<Map<String, Object>, Map<String, Object>>)
          Class.forName(LoanProcessorStack.FUNCTION_HANDLER.split("::")[0])
              .getConstructor(RequestValuationFunction.class)
              .newInstance(function);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private ExecutionSnapshot completion() {
    return engine.awaitCompletion("APP-1").orTimeout(10, TimeUnit.SECONDS).join();
  }
}
