package com.valuationflow.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.port.Valuer;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.inmemory.workflow.ClosedTask;
import com.valuationflow.inmemory.workflow.ExecutionSnapshot;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.TaskFailedException;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loan processor extended, in this test only (not in the shipped definition), where Parallel
 * and Map belong: a credit check beside the valuation, and the valuation of several properties of
 * one application. The shipped states run unchanged inside the branch and the iterations, through
 * the domain's use cases: each valuation waits on its own task token and is resumed by its own
 * valuer callback.
 */
class LoanProcessorParallelAndMapTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String FUNCTION = "request-valuation";
  private static final String CREDIT_CHECK = "credit-check";
  private static final Instant NOW = Instant.parse("2025-03-14T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final InMemoryTaskTokenStore store = new InMemoryTaskTokenStore(CLOCK);
  private final BlockingQueue<ValuationRequest> asked = new LinkedBlockingQueue<>();
  private final AtomicInteger references = new AtomicInteger();
  private final Map<CorrelationKey, String> referenceByKey = new ConcurrentHashMap<>();
  private final List<ClosedTask> closed = new CopyOnWriteArrayList<>();
  private WorkflowEngine engine;

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  @Test
  void aCreditCheckRunsBesideTheValuationAndBothResultsArrive() throws Exception {
    CountDownLatch valuationRequested = new CountDownLatch(1);
    start(
        parallelDefinition(),
        payload -> {
          await(valuationRequested);
          return MAPPER.createObjectNode().put("score", 720);
        });
    engine.addHistoryListener(
        (name, event) -> {
          if (event.type().equals("TaskSubmitted")) {
            valuationRequested.countDown();
          }
        });

    engine.start("APP-1", input("APP-1", property("12", "PO1 1CE")));
    CorrelationKey key = callbackKey(asked.poll(10, TimeUnit.SECONDS));
    waitForEvent("APP-1", "TaskSucceeded", 1);

    assertThat(callback(key, 310_000)).isEqualTo(HandleValuationCallback.Outcome.RESUMED);

    ExecutionSnapshot done = completion("APP-1");
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode assessment = MAPPER.readTree(done.output().orElseThrow()).get("assessment");
    assertThat(assessment.at("/creditCheck/score").intValue()).isEqualTo(720);
    assertThat(assessment.at("/valuation/propertyValue").longValue()).isEqualTo(310_000);
    assertThat(done.eventTypes())
        .startsWith("ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted")
        .endsWith("ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded")
        .contains("SucceedStateEntered", "TaskSubmitted");
  }

  @Test
  void aFailedCreditCheckAbortsTheWaitingValuationAndClosesItsToken() throws Exception {
    CountDownLatch valuationRequested = new CountDownLatch(1);
    start(
        parallelDefinition(),
        payload -> {
          await(valuationRequested);
          throw new TaskFailedException("CreditCheckFailed", "The bureau refused the check");
        });
    engine.addHistoryListener(
        (name, event) -> {
          if (event.type().equals("TaskSubmitted")) {
            valuationRequested.countDown();
          }
        });

    engine.start("APP-1", input("APP-1", property("12", "PO1 1CE")));
    CorrelationKey key = callbackKey(asked.poll(10, TimeUnit.SECONDS));

    ExecutionSnapshot done = completion("APP-1");
    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.error()).contains("CreditCheckFailed");
    assertThat(done.eventTypes())
        .containsSubsequence("TaskFailed", "TaskStateAborted", "ParallelStateFailed")
        .doesNotContain("ParallelStateExited");
    assertThat(closed)
        .singleElement()
        .satisfies(task -> assertThat(task.reason()).isEqualTo(ClosedTask.Reason.EXECUTION_ENDED));
    assertThat(engine.sendTaskSuccess(closed.get(0).token(), "{}"))
        .isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(engine.closingEventOf(closed.get(0).token()))
        .hasValueSatisfying(event -> assertThat(event.type()).isEqualTo("TaskStateAborted"));
    assertThat(callback(key, 310_000)).isNotEqualTo(HandleValuationCallback.Outcome.RESUMED);
  }

  @Test
  void twoPropertiesAreValuedEachOnItsOwnTokenAndCallback() throws Exception {
    start(mapDefinition(), payload -> MAPPER.createObjectNode());

    engine.start("APP-2", input("APP-2", property("12", "PO1 1CE"), property("14", "PO1 1CF")));
    ValuationRequest first = asked.poll(10, TimeUnit.SECONDS);
    ValuationRequest second = asked.poll(10, TimeUnit.SECONDS);
    waitForEvent("APP-2", "TaskSubmitted", 2);
    assertThat(List.of(first, second))
        .extracting(request -> request.property().nameOrNumber())
        .containsExactlyInAnyOrder("12", "14");
    assertThat(callbackKey(first)).isNotEqualTo(callbackKey(second));
    List<TaskToken> tokens =
        store.waitingTask(callbackKey(first)).stream().map(task -> task.token()).toList();
    assertThat(tokens).hasSize(1);
    assertThat(store.waitingTask(callbackKey(second)).orElseThrow().token())
        .isNotEqualTo(tokens.get(0));

    ValuationRequest twelve = first.property().nameOrNumber().equals("12") ? first : second;
    ValuationRequest fourteen = twelve == first ? second : first;
    assertThat(callback(callbackKey(fourteen), 450_000))
        .isEqualTo(HandleValuationCallback.Outcome.RESUMED);
    assertThat(engine.describe("APP-2").orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(callback(callbackKey(twelve), 310_000))
        .isEqualTo(HandleValuationCallback.Outcome.RESUMED);

    ExecutionSnapshot done = completion("APP-2");
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    ArrayNode valuations =
        (ArrayNode) MAPPER.readTree(done.output().orElseThrow()).get("valuations");
    assertThat(valuations).hasSize(2);
    assertThat(valuations.get(0).at("/applicationReference").textValue()).isEqualTo("APP-2-0");
    assertThat(valuations.get(0).at("/valuation/propertyValue").longValue()).isEqualTo(310_000);
    assertThat(valuations.get(1).at("/applicationReference").textValue()).isEqualTo("APP-2-1");
    assertThat(valuations.get(1).at("/valuation/propertyValue").longValue()).isEqualTo(450_000);
    assertThat(done.eventTypes())
        .containsSubsequence(
            "MapStateEntered",
            "MapStateStarted",
            "MapIterationStarted",
            "MapIterationStarted",
            "MapIterationSucceeded",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded");
  }

  private void start(String definition, com.valuationflow.inmemory.workflow.TaskHandler credit) {
    engine =
        WorkflowEngine.builder(StateMachineDefinition.parse(definition))
            .clock(CLOCK)
            .secondLength(Duration.ofMillis(2))
            .stateMachineName("LoanProcessor")
            .build();
    InMemoryWorkflowResumer resumer = new InMemoryWorkflowResumer(engine);
    Valuer valuer =
        request -> {
          String reference = "VAL-" + references.incrementAndGet();
          referenceByKey.put(callbackKey(request), reference);
          asked.add(request);
          return new Valuer.Accepted(ValuationReference.of(reference));
        };
    RequestValuation requestValuation =
        new RequestValuation(
            valuer, store, resumer, URI.create("https://loans.example/valuations"), CLOCK);
    engine.registerFunction(FUNCTION, new RequestValuationTaskHandler(requestValuation));
    engine.registerFunction(CREDIT_CHECK, credit);
    engine.addTaskTokenListener(closed::add);
  }

  private HandleValuationCallback.Outcome callback(CorrelationKey key, long value) {
    return new HandleValuationCallback(store, new InMemoryWorkflowResumer(engine), CLOCK)
        .handle(key, ValuationResult.of(referenceByKey.get(key), value));
  }

  private static CorrelationKey callbackKey(ValuationRequest request) {
    assertThat(request).as("a valuation request within 10 s").isNotNull();
    return new CorrelationKey(request.callbackUrl().getQuery().split("=")[1]);
  }

  /** The shipped states, unchanged, as a branch beside a credit check. */
  private static String parallelDefinition() throws Exception {
    ObjectNode shipped = shipped();
    ObjectNode definition = MAPPER.createObjectNode();
    definition.put("StartAt", "AssessApplication");
    ObjectNode parallel = definition.putObject("States").putObject("AssessApplication");
    parallel.put("Type", "Parallel");
    ArrayNode branches = parallel.putArray("Branches");
    branches.add(
        MAPPER.readTree(
            """
            {"StartAt": "CreditCheck", "States": {"CreditCheck": {
              "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "credit-check",
                             "Payload": {"applicationReference.$": "$.applicationReference"}},
              "ResultSelector": {"score.$": "$.Payload.score"}, "End": true}}}
            """));
    branches.addObject().setAll(branch(shipped));
    parallel.set(
        "ResultSelector",
        MAPPER.readTree("{\"creditCheck.$\": \"$[0]\", \"valuation.$\": \"$[1].valuation\"}"));
    parallel.put("ResultPath", "$.assessment");
    parallel.put("End", true);
    return MAPPER.writeValueAsString(definition);
  }

  /** The shipped states, unchanged, as the processor of each property of the application. */
  private static String mapDefinition() throws Exception {
    ObjectNode shipped = shipped();
    ObjectNode definition = MAPPER.createObjectNode();
    definition.put("StartAt", "ValueProperties");
    ObjectNode map = definition.putObject("States").putObject("ValueProperties");
    map.put("Type", "Map");
    map.put("ItemsPath", "$.properties");
    map.set(
        "ItemSelector",
        MAPPER.readTree(
            """
            {"applicationReference.$":
                 "States.Format('{}-{}', $.applicationReference, $$.Map.Item.Index)",
             "property.$": "$$.Map.Item.Value",
             "valuationTimeoutSeconds.$": "$.valuationTimeoutSeconds"}
            """));
    map.putObject("ItemProcessor").setAll(branch(shipped));
    map.put("ResultPath", "$.valuations");
    map.put("End", true);
    return MAPPER.writeValueAsString(definition);
  }

  private static ObjectNode shipped() throws Exception {
    return (ObjectNode) MAPPER.readTree(LoanProcessorDefinition.load(FUNCTION));
  }

  private static ObjectNode branch(ObjectNode shipped) {
    ObjectNode branch = MAPPER.createObjectNode();
    branch.set("StartAt", shipped.get("StartAt"));
    branch.set("States", shipped.get("States"));
    return branch;
  }

  private static String input(String reference, ObjectNode... properties) throws Exception {
    ObjectNode input = MAPPER.createObjectNode();
    input.put("applicationReference", reference);
    if (properties.length == 1) {
      input.set("property", properties[0]);
    } else {
      ArrayNode list = input.putArray("properties");
      for (ObjectNode property : properties) {
        list.add(property);
      }
    }
    input.put("valuationTimeoutSeconds", 3600);
    return MAPPER.writeValueAsString(input);
  }

  private static ObjectNode property(String nameOrNumber, String postcode) {
    ObjectNode property = MAPPER.createObjectNode();
    property.put("nameOrNumber", nameOrNumber);
    property.put("postcode", postcode);
    return property;
  }

  private void waitForEvent(String execution, String type, int count) throws InterruptedException {
    for (int i = 0; i < 1000; i++) {
      if (engine.describe(execution).orElseThrow().history().stream()
              .map(HistoryEvent::type)
              .filter(type::equals)
              .count()
          >= count) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("No " + type + " within 10 s");
  }

  private ExecutionSnapshot completion(String execution) {
    return engine.awaitCompletion(execution).orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).as("the valuation requested").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
