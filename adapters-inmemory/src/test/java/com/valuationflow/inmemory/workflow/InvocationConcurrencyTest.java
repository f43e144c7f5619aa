package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Task handlers blocked on a slow service: at most {@code maxConcurrentInvocations} run at once,
 * each on a thread of the engine's bounded pool, timeouts still fire while all are blocked, and new
 * executions are refused while the invocations waiting for a thread wait too long.
 */
class InvocationConcurrencyTest extends EngineTestSupport {

  private static final String SLOW_TASK =
      """
      {"StartAt": "Slow", "States": {
        "Slow": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "slow"}, "TimeoutSeconds": %d,
          "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "TimedOut"}],
          "End": true},
        "TimedOut": {"Type": "Pass", "End": true}}}
      """;

  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  /** Blocks until released (or interrupted), counting how many run at once. */
  private TaskHandler slowHandler(CountDownLatch release) {
    return payload -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        running.decrementAndGet();
      }
      return json("{}");
    };
  }

  @Test
  void manyHandlersBlockedOnASlowServiceTakeTheirTurnOnABoundedNumberOfThreads() throws Exception {
    WorkflowEngine engine = engine(SLOW_TASK.formatted(1_000_000), SECOND, 3);
    CountDownLatch release = new CountDownLatch(1);
    engine.registerFunction("slow", slowHandler(release));

    IntStream.range(0, 50).forEach(i -> start(engine, "exec-" + i, "{}"));
    awaitUntil(() -> running.get() == 3);
    TimeUnit.MILLISECONDS.sleep(100);

    assertThat(running.get()).as("handlers running while the service is slow").isEqualTo(3);
    assertThat(engineWorkers()).as("engine worker threads").isLessThanOrEqualTo(3);
    release.countDown();
    for (int i = 0; i < 50; i++) {
      assertThat(completion(engine, "exec-" + i).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
    assertThat(peak.get()).isEqualTo(3);
  }

  @Test
  void timeoutsFireWhileEveryWorkerIsBlocked() {
    WorkflowEngine engine = engine(SLOW_TASK.formatted(5), SECOND, 1);
    engine.registerFunction("slow", slowHandler(new CountDownLatch(1)));

    IntStream.range(0, 3).forEach(i -> start(engine, "exec-" + i, "{}"));

    for (int i = 0; i < 3; i++) {
      ExecutionSnapshot done = completion(engine, "exec-" + i);
      assertThat(done.eventTypes()).contains("TaskTimedOut").doesNotContain("TaskSucceeded");
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
    assertThat(peak.get()).isEqualTo(1);
  }

  @Test
  void newExecutionsAreRefusedWhileInvocationsWaitTooLongAndStartAgainOnceTheyCatchUp()
      throws Exception {
    WorkflowEngine engine =
        WorkflowEngine.builder(StateMachineDefinition.parse(SLOW_TASK.formatted(1_000_000)))
            .maxConcurrentInvocations(1)
            .maxInvocationWait(Duration.ofMillis(200))
            .build();
    try {
      CountDownLatch release = new CountDownLatch(1);
      engine.registerFunction("slow", slowHandler(release));
      start(engine, "running", "{}");
      awaitUntil(() -> running.get() == 1);
      start(engine, "waiting", "{}");
      assertThat(engine.start("soon-after", "{}")).isEqualTo(StartOutcome.STARTED);
      TimeUnit.MILLISECONDS.sleep(300);

      assertThatThrownBy(() -> engine.start("refused", "{}"))
          .isInstanceOfSatisfying(
              EngineBusyException.class,
              busy -> assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(1)))
          .hasMessageContaining("more than the 200 ms allowed");
      assertThat(engine.describe("refused")).as("nothing started").isEmpty();
      assertThat(engine.start("waiting", "{}"))
          .as("a repeat of a started execution is answered as ever")
          .isEqualTo(StartOutcome.ALREADY_STARTED);

      release.countDown();
      for (String name : new String[] {"running", "waiting", "soon-after"}) {
        assertThat(completion(engine, name).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      }
      assertThat(engine.start("refused", "{}")).isEqualTo(StartOutcome.STARTED);
      assertThat(completion(engine, "refused").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    } finally {
      engine.close();
    }
  }

  @Test
  void theWaitAllowedMustBePositive() {
    WorkflowEngine.Builder builder =
        WorkflowEngine.builder(StateMachineDefinition.parse(SLOW_TASK.formatted(1)));

    assertThatThrownBy(() -> builder.maxInvocationWait(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxInvocationWait");
  }

  @Test
  void theLimitMustBePositive() {
    WorkflowEngine.Builder builder =
        WorkflowEngine.builder(StateMachineDefinition.parse(SLOW_TASK.formatted(1)));

    assertThatThrownBy(() -> builder.maxConcurrentInvocations(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrentInvocations");
  }

  private static long engineWorkers() {
    Thread[] threads = new Thread[Thread.activeCount() * 2 + 16];
    int live = Thread.enumerate(threads);
    return Arrays.stream(threads, 0, live)
        .filter(thread -> thread.getName().startsWith("workflow-engine-worker"))
        .count();
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("the condition held within 10 s").isBefore(deadline);
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }
}
