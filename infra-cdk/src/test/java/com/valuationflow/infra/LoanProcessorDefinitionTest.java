package com.valuationflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.inmemory.workflow.ExecutionSnapshot;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.TaskFailedException;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The definition the stack deploys is the one the in-memory engine runs: equal, as JSON, to {@code
 * loan-processor.asl.json}, and run here by the engine.
 */
class LoanProcessorDefinitionTest {

  private static final String FUNCTION = "request-valuation";
  private static final String INPUT =
      """
      {"applicationReference": "APP-1",
       "property": {"nameOrNumber": "12", "postcode": "PO1 1CE"},
       "valuationTimeoutSeconds": 3600}
      """;

  /** The synthesized definition, the function's ARN replaced by the resource's placeholder. */
  private static String deployed;

  private final BlockingQueue<JsonNode> payloads = new LinkedBlockingQueue<>();
  private WorkflowEngine engine;

  @BeforeAll
  static void synthesize() {
    Template template = Template.fromStack(TestAssets.loanProcessorStack());
    deployed =
        Definitions.asl(
            Definitions.definitionString(template),
            Map.of(
                template.getResourceId("AWS::Lambda::Alias"),
                LoanProcessorDefinition.REQUEST_VALUATION_FUNCTION));
    Definitions.writeForValidation("loan-processor.asl.json", deployed);
  }

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void theDeployedDefinitionIsTheOneTheInMemoryEngineRuns() {
    assertThat(Definitions.json(deployed))
        .isEqualTo(Definitions.json(LoanProcessorDefinition.load()));
  }

  @Test
  void theDeployedDefinitionWaitsForTheTokenAndSucceedsWithTheValuation() throws Exception {
    engine = engine(Duration.ofMillis(2));
    engine.registerFunction(
        FUNCTION,
        payload -> {
          payloads.add(payload);
          return Definitions.json("{\"outcome\": \"ValuationRequested\"}");
        });

    engine.start("APP-1", INPUT);
    JsonNode payload = payloads.poll(10, TimeUnit.SECONDS);
    assertThat(payload).as("the function's payload").isNotNull();
    assertThat(payload.get("loanApplication")).isEqualTo(Definitions.json(INPUT));
    assertThat(engine.describe("APP-1").orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);

    ResumeOutcome outcome =
        engine.sendTaskSuccess(
            TaskToken.of(payload.get("taskToken").textValue()),
            "{\"valuationReference\": \"VAL-1\", \"propertyValue\": 250000}");

    assertThat(outcome).isEqualTo(ResumeOutcome.RESUMED);
    ExecutionSnapshot done = completion();
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Definitions.json(done.output().orElseThrow()).get("valuation"))
        .isEqualTo(
            Definitions.json("{\"valuationReference\": \"VAL-1\", \"propertyValue\": 250000}"));
  }

  @Test
  void anUnavailableValuerIsRetriedThreeTimesThenFailsTheApplication() {
    engine = engine(Duration.ofMillis(1));
    AtomicInteger attempts = new AtomicInteger();
    engine.registerFunction(
        FUNCTION,
        payload -> {
          attempts.incrementAndGet();
          throw new TaskFailedException("ValuerUnavailable", "connection refused");
        });

    engine.start("APP-1", INPUT);

    ExecutionSnapshot done = completion();
    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("ValuerUnavailable");
    assertThat(done.cause()).contains("connection refused");
    assertThat(attempts).hasValue(4);
  }

  @Test
  void aValuerThatNeverCallsBackTimesTheApplicationOut() {
    engine = engine(Duration.ofMillis(1));
    engine.registerFunction(FUNCTION, payload -> Definitions.json("{}"));

    engine.start("APP-1", INPUT.replace("3600", "5"));

    ExecutionSnapshot done = completion();
    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("ValuationServiceTimedOut");
  }

  private static WorkflowEngine engine(Duration secondLength) {
    return WorkflowEngine.builder(
            StateMachineDefinition.parse(
                deployed.replace(LoanProcessorDefinition.REQUEST_VALUATION_FUNCTION, FUNCTION)))
        .secondLength(secondLength)
        .stateMachineName("LoanProcessor")
        .build();
  }

  private ExecutionSnapshot completion() {
    return engine.awaitCompletion("APP-1").orTimeout(10, TimeUnit.SECONDS).join();
  }
}
