package com.valuationflow.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.domain.usecase.RequestValuationErrors;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.TaskFailedException;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A valuation whose request attempt failed after the valuer took it: the workflow retries the
 * request, and a callback that comes between the two attempts is neither lost nor late. It is held
 * under the application's key, the retry parks its token under the same key and asks the valuer
 * with the same idempotency key, and the held callback resumes the retry.
 */
class RetriedAttemptTest {

  private static final String FUNCTION = "request-valuation";
  private static final Clock CLOCK = Clock.systemUTC();
  private static final LoanApplication APPLICATION = LoanApplication.of("APP-1", "12", "PO1 1CE");

  private final WorkflowEngine engine =
      WorkflowEngine.builder(StateMachineDefinition.parse(LoanProcessorDefinition.load(FUNCTION)))
          .clock(CLOCK)
          .secondLength(Duration.ofMillis(5))
          .stateMachineName("LoanProcessor")
          .build();
  private final InMemoryWorkflowResumer resumer = new InMemoryWorkflowResumer(engine);
  private final InMemoryTaskTokenStore store = new InMemoryTaskTokenStore(CLOCK);
  private final List<ValuationRequest> valuationRequests = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  @Test
  void aCallbackBetweenTwoAttemptsIsHeldAndResumesTheRetry() throws Exception {
    CountDownLatch callbackDelivered = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    RequestValuationTaskHandler handler =
        new RequestValuationTaskHandler(
            new RequestValuation(
                request -> {
                  valuationRequests.add(request);
                  return new com.valuationflow.domain.port.Valuer.Accepted(
                      ValuationReference.of("VAL-1"));
                },
                store,
                resumer,
                URI.create("https://loans.example/valuations"),
                CLOCK));
    engine.registerFunction(
        FUNCTION,
        payload -> {
          if (attempts.incrementAndGet() == 1) {
            handler.invoke(payload); // the valuer takes the request, then the attempt fails
            throw new TaskFailedException(
                RequestValuationErrors.SERVICE_UNAVAILABLE,
                RequestValuationErrors.SERVICE_UNAVAILABLE_CAUSE);
          }
          callbackDelivered.await(10, TimeUnit.SECONDS);
          return handler.invoke(payload);
        });
    CompletableFuture<Void> firstAttemptFailed = new CompletableFuture<>();
    engine.addHistoryListener(
        (name, event) -> {
          if (event.type().equals("TaskFailed")) {
            firstAttemptFailed.complete(null);
          }
        });

    new InMemoryWorkflowStarter(engine).start(new WorkflowInput(APPLICATION, Duration.ofHours(1)));
    firstAttemptFailed.orTimeout(10, TimeUnit.SECONDS).join();
    CorrelationKey key =
        new CorrelationKey(valuationRequests.get(0).callbackUrl().getQuery().split("=")[1]);

    HandleValuationCallback.Outcome between =
        new HandleValuationCallback(store, resumer, CLOCK)
            .handle(key, ValuationResult.of("VAL-1", 250_000));
    callbackDelivered.countDown();

    assertThat(between).isEqualTo(HandleValuationCallback.Outcome.HELD_UNTIL_REPLY);
    engine.awaitCompletion("APP-1").orTimeout(10, TimeUnit.SECONDS).join();
    WorkflowExecution execution =
        new InMemoryWorkflowExecutions(engine).find(ApplicationReference.of("APP-1")).orElseThrow();
    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(execution.output().orElseThrow()).contains("\"propertyValue\":250000");
    assertThat(valuationRequests)
        .as("both attempts asked for the same valuation")
        .hasSize(2)
        .allSatisfy(
            request -> {
              assertThat(request.idempotencyKey()).isEqualTo(key);
              assertThat(request.callbackUrl()).isEqualTo(valuationRequests.get(0).callbackUrl());
            });
    assertThat(
            new HandleValuationCallback(store, resumer, CLOCK)
                .handle(key, ValuationResult.of("VAL-1", 250_000)))
        .as("the valuer's retry of its callback")
        .isEqualTo(HandleValuationCallback.Outcome.DUPLICATE);
  }
}
