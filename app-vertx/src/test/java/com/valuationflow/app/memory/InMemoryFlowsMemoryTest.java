package com.valuationflow.app.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.port.AnsweredWebhooks;
import com.valuationflow.domain.port.Valuer;
import com.valuationflow.domain.port.WebhookAnswer;
import com.valuationflow.domain.port.WebhookClaim;
import com.valuationflow.domain.port.WebhookFingerprint;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.domain.usecase.SubmitLoanApplication;
import com.valuationflow.inmemory.InMemoryAnsweredWebhooks;
import com.valuationflow.inmemory.InMemoryTaskTokenStore;
import com.valuationflow.inmemory.InMemoryWorkflowResumer;
import com.valuationflow.inmemory.InMemoryWorkflowStarter;
import com.valuationflow.inmemory.RequestValuationTaskHandler;
import com.valuationflow.inmemory.workflow.ClosedTask;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memory test: runs {@code memory.flows} loan applications (default 1,000,000) through the
 * in-memory stack as the app wires it with its default bounds (engine, task token store, answered
 * {@code webhook-id}s), with a valuer that answers and calls back at once, and measures the heap
 * after a full GC at {@code memory.baseline} flows (default 100,000) and at the end. The later must
 * be within 10 % of the earlier. HTTP is left out so that a million flows take minutes; the load
 * test covers it.
 *
 * <p>Not part of the normal build (tag {@value #TAG}): {@code ./mvnw -pl app-vertx -am verify
 * -Pmemory}.
 */
@Tag(InMemoryFlowsMemoryTest.TAG)
class InMemoryFlowsMemoryTest {

  static final String TAG = "memory";

  private static final int FLOWS = Integer.getInteger("memory.flows", 1_000_000);
  private static final int BASELINE = Integer.getInteger("memory.baseline", 100_000);
  private static final int IN_FLIGHT = 256;
  private static final URI CALLBACK_URL = URI.create("http://localhost:8080/webhooks/valuations");

  private final Clock clock = Clock.systemUTC();
  private final ExecutorService callbacks = Executors.newFixedThreadPool(2);
  private final AtomicLong webhookIds = new AtomicLong();
  private WorkflowEngine engine;

  @AfterEach
  void stop() {
    callbacks.shutdownNow();
    engine.close();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void theHeapStaysFlatFromOneHundredThousandToAMillionFlows() throws InterruptedException {
    engine =
        WorkflowEngine.builder(StateMachineDefinition.parse(LoanProcessorDefinition.load()))
            .clock(clock)
            .stateMachineName("LoanProcessor")
            .build();
    InMemoryTaskTokenStore store = new InMemoryTaskTokenStore(clock);
    engine.addTaskTokenListener(
        closed -> {
          if (closed.reason() == ClosedTask.Reason.TIMED_OUT
              || closed.reason() == ClosedTask.Reason.EXECUTION_ENDED) {
            store.expire(ApplicationReference.of(closed.executionName()), closed.token());
          }
        });
    InMemoryWorkflowResumer resumer = new InMemoryWorkflowResumer(engine);
    HandleValuationCallback handleCallback = new HandleValuationCallback(store, resumer, clock);
    InMemoryAnsweredWebhooks answered =
        new InMemoryAnsweredWebhooks(
            clock,
            InMemoryAnsweredWebhooks.DEFAULT_RETENTION,
            AnsweredWebhooks.DEFAULT_LEASE,
            InMemoryAnsweredWebhooks.DEFAULT_CAPACITY);
    Valuer valuer =
        request -> {
          String reference = "val-" + webhookIds.incrementAndGet();
          CorrelationKey key = CorrelationKey.of(correlationId(request.callbackUrl()));
          callbacks.execute(
              () -> {
                String body = "{\"valuationReference\":\"" + reference + "\"}";
                WebhookClaim claim =
                    answered.claim(
                        "msg_" + reference, WebhookFingerprint.of(key.value(), body.getBytes()));
                String outcome =
                    handleCallback.handle(key, ValuationResult.of(reference, 250_000)).name();
                answered.answer(
                    (WebhookClaim.Claimed) claim,
                    new WebhookAnswer(
                        200, "application/json", "{\"outcome\":\"" + outcome + "\"}"));
              });
          return new Valuer.Accepted(ValuationReference.of(reference));
        };
    engine.registerFunction(
        LoanProcessorDefinition.REQUEST_VALUATION_FUNCTION,
        new RequestValuationTaskHandler(
            new RequestValuation(valuer, store, resumer, CALLBACK_URL, clock)));
    SubmitLoanApplication submit =
        new SubmitLoanApplication(new InMemoryWorkflowStarter(engine), Duration.ofHours(1));

    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicLong succeeded = new AtomicLong();
    long started = System.nanoTime();
    long baselineHeap = 0;
    for (int i = 1; i <= FLOWS; i++) {
      inFlight.acquire();
      String reference = "app-" + i;
      submit.submit(LoanApplication.of(reference, "999", "PO1 1CE"));
      engine
          .awaitCompletion(reference)
          .whenComplete(
              (done, failure) -> {
                if (done != null && done.status() == ExecutionStatus.SUCCEEDED) {
                  succeeded.incrementAndGet();
                }
                inFlight.release();
              });
      if (i == BASELINE) {
        baselineHeap = heapAfterGc(inFlight, i, started);
      }
    }
    long finalHeap = heapAfterGc(inFlight, FLOWS, started);

    assertThat(succeeded.get()).as("every flow succeeded").isEqualTo(FLOWS);
    assertThat(engine.executionCount())
        .isEqualTo(WorkflowEngine.DEFAULT_FINISHED_EXECUTION_CAPACITY);
    assertThat((double) finalHeap)
        .as("heap after a full GC at %,d flows against %,d flows", FLOWS, BASELINE)
        .isLessThanOrEqualTo(baselineHeap * 1.10);
  }

  /** Waits for the flows in flight to end, collects, and prints the heap in use. */
  private long heapAfterGc(Semaphore inFlight, int flows, long started)
      throws InterruptedException {
    inFlight.acquire(IN_FLIGHT);
    inFlight.release(IN_FLIGHT);
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(
        Locale.ROOT,
        "memory: %,d flows in %.1f s; heap after a full GC %.1f MiB; engine remembers %,d"
            + " executions%n",
        flows,
        (System.nanoTime() - started) / 1e9,
        used / 1_048_576.0,
        engine.executionCount());
    return used;
  }

  private static String correlationId(URI callbackUrl) {
    String query = callbackUrl.getQuery();
    return query.substring(query.indexOf('=') + 1);
  }
}
