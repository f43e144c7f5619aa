package com.valuationflow.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.ServiceUnavailableException;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.Valuer;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.domain.usecase.RequestValuationErrors;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loan processor's definition on the in-memory engine with the RequestValuation handler whose
 * token store cannot be reached for a while: the task fails with {@value
 * RequestValuationErrors#SERVICE_UNAVAILABLE}, which the definition retries with backoff, and what
 * the execution shows (what {@code GET /loan-applications/{ref}} shows) is in our words.
 */
class TransientFailuresTest {

  private static final String FUNCTION = "request-valuation";
  private static final Instant NOW = Instant.parse("2025-03-14T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final LoanApplication APPLICATION = LoanApplication.of("APP-1", "12", "PO1 1CE");

  /** What the unreachable store says: details for the log, never for the workflow. */
  private static final String STORE_DETAILS =
      "DynamoDB PutItem (park) on table 'ValuationFlow-TaskTokens-7F3A' failed:"
          + " ProvisionedThroughputExceededException (HTTP 400, request id R-1) [attempts: 3]";

  /** A fully qualified Java class name, such as {@code java.lang.IllegalStateException}. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*\\.[A-Z]");

  /** A line of a Java stack trace. */
  private static final Pattern STACK_LINE = Pattern.compile("\\bat [\\w$.]+\\(");

  // One ASL second lasts 2 ms: the retries' backoff of up to 8 s takes 16 ms.
  private final WorkflowEngine engine =
      WorkflowEngine.builder(StateMachineDefinition.parse(LoanProcessorDefinition.load(FUNCTION)))
          .clock(CLOCK)
          .secondLength(Duration.ofMillis(2))
          .stateMachineName("LoanProcessor")
          .build();
  private final InMemoryWorkflowResumer resumer = new InMemoryWorkflowResumer(engine);
  private final InMemoryWorkflowExecutions executions = new InMemoryWorkflowExecutions(engine);
  private final InMemoryTaskTokenStore store = new InMemoryTaskTokenStore(CLOCK);
  private final BlockingQueue<ValuationRequest> valuationRequests = new LinkedBlockingQueue<>();
  private final AtomicInteger storeCalls = new AtomicInteger();

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  @Test
  void aStoreBlipIsRetriedAndTheApplicationStillSucceeds() throws Exception {
    wireRequestValuation(unavailableWhile(call -> call <= 3));
    CompletableFuture<Void> submitted = eventSeen("TaskSubmitted");

    new InMemoryWorkflowStarter(engine).start(new WorkflowInput(APPLICATION, Duration.ofHours(1)));
    submitted.orTimeout(10, TimeUnit.SECONDS).join();
    ValuationRequest request = valuationRequests.poll(10, TimeUnit.SECONDS);
    assertThat(request).as("the valuer was asked").isNotNull();
    CorrelationKey key = new CorrelationKey(request.callbackUrl().getQuery().split("=")[1]);

    assertThat(
            new HandleValuationCallback(store, resumer, CLOCK)
                .handle(key, ValuationResult.of("VAL-1", 250_000)))
        .isEqualTo(HandleValuationCallback.Outcome.RESUMED);

    WorkflowExecution execution = awaitEnd();
    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(execution.output().orElseThrow()).contains("\"propertyValue\":250000");
    assertThat(failedAttempts(execution))
        .hasSize(3)
        .allSatisfy(
            event ->
                assertThat(event.details())
                    .containsEntry("error", RequestValuationErrors.SERVICE_UNAVAILABLE)
                    .containsEntry("cause", RequestValuationErrors.SERVICE_UNAVAILABLE_CAUSE));
    assertThat(valuationRequests).as("the valuer was asked once").isEmpty();
    assertInOurWords(execution);
  }

  @Test
  void aStoreThatStaysUnavailableFailsTheApplicationAfterTheRetriesInOurWords() {
    wireRequestValuation(unavailableWhile(call -> true));

    new InMemoryWorkflowStarter(engine).start(new WorkflowInput(APPLICATION, Duration.ofHours(1)));

    WorkflowExecution execution = awaitEnd();
    assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(execution.error()).contains(RequestValuationErrors.SERVICE_UNAVAILABLE);
    assertThat(execution.cause())
        .contains(
            "The valuation service stayed unavailable through every retry of the valuation"
                + " request");
    assertThat(failedAttempts(execution)).as("the first attempt and 6 retries").hasSize(7);
    assertThat(storeCalls).hasValue(7);
    assertThat(valuationRequests).isEmpty();
    assertInOurWords(execution);
  }

  @Test
  void anUnexpectedFailureFailsTheApplicationAtOnceInOurWords() {
    RequestValuation requestValuation =
        new RequestValuation(
            request -> {
              throw new IllegalStateException("a bug in com.example.Valuer");
            },
            store,
            resumer,
            URI.create("https://loans.example/valuations"),
            CLOCK);
    engine.registerFunction(FUNCTION, new RequestValuationTaskHandler(requestValuation));

    new InMemoryWorkflowStarter(engine).start(new WorkflowInput(APPLICATION, Duration.ofHours(1)));

    WorkflowExecution execution = awaitEnd();
    assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(execution.error()).contains(RequestValuationErrors.SERVICE_ERROR);
    assertThat(execution.cause()).contains(RequestValuationErrors.SERVICE_ERROR_CAUSE);
    assertThat(failedAttempts(execution)).hasSize(1);
    assertInOurWords(execution);
  }

  /** The error, the cause and every detail of the history: no class, stack, table or request. */
  private static void assertInOurWords(WorkflowExecution execution) {
    StringBuilder shown = new StringBuilder();
    execution.error().ifPresent(error -> shown.append(error).append('\n'));
    execution.cause().ifPresent(cause -> shown.append(cause).append('\n'));
    for (HistoryEvent event : execution.history()) {
      event.details().forEach((name, value) -> shown.append(name).append('=').append(value));
      shown.append('\n');
    }
    assertThat(shown.toString())
        .doesNotContain("Exception", "TaskTokens", "request id", "a bug")
        .doesNotContainPattern(CLASS_NAME)
        .doesNotContainPattern(STACK_LINE);
  }

  private static List<HistoryEvent> failedAttempts(WorkflowExecution execution) {
    return execution.history().stream().filter(event -> event.type().equals("TaskFailed")).toList();
  }

  /**
   * The store, but each call whose number (from 1) the predicate accepts fails as an unreachable
   * store does. It delegates every method, so it fails whatever the store is asked.
   */
  private TaskTokenStore unavailableWhile(IntPredicate failsCall) {
    return (TaskTokenStore)
        Proxy.newProxyInstance(
            TaskTokenStore.class.getClassLoader(),
            new Class<?>[] {TaskTokenStore.class},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() != Object.class
                  && failsCall.test(storeCalls.incrementAndGet())) {
                throw new ServiceUnavailableException(STORE_DETAILS, null);
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private void wireRequestValuation(TaskTokenStore taskTokenStore) {
    Valuer valuer =
        request -> {
          valuationRequests.add(request);
          return new Valuer.Accepted(ValuationReference.of("VAL-1"));
        };
    engine.registerFunction(
        FUNCTION,
        new RequestValuationTaskHandler(
            new RequestValuation(
                valuer,
                taskTokenStore,
                resumer,
                URI.create("https://loans.example/valuations"),
                CLOCK)));
  }

  private CompletableFuture<Void> eventSeen(String type) {
    CompletableFuture<Void> seen = new CompletableFuture<>();
    engine.addHistoryListener(
        (name, event) -> {
          if (event.type().equals(type)) {
            seen.complete(null);
          }
        });
    return seen;
  }

  private WorkflowExecution awaitEnd() {
    engine.awaitCompletion("APP-1").orTimeout(10, TimeUnit.SECONDS).join();
    return executions.find(ApplicationReference.of("APP-1")).orElseThrow();
  }
}
