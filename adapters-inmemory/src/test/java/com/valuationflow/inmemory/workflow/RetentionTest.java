package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import com.valuationflow.domain.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Finished executions are forgotten after the retention time and beyond the capacity. */
class RetentionTest {

  private static final String SUCCEED =
      "{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}";
  private static final Duration RETENTION = Duration.ofHours(1);

  private final MutableClock clock = new MutableClock(EngineTestSupport.NOW);
  private final List<WorkflowEngine> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(WorkflowEngine::close);
  }

  private WorkflowEngine engine(String definition, int capacity) {
    WorkflowEngine engine =
        WorkflowEngine.builder(StateMachineDefinition.parse(definition))
            .clock(clock)
            .secondLength(EngineTestSupport.SECOND)
            .finishedExecutionRetention(RETENTION)
            .finishedExecutionCapacity(capacity)
            .build();
    engines.add(engine);
    return engine;
  }

  private static void finish(WorkflowEngine engine, String name) {
    assertThat(engine.start(name, "{\"n\":1}")).isEqualTo(StartOutcome.STARTED);
    engine.awaitCompletion(name).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void aFinishedExecutionIsRememberedForTheRetentionTimeThenForgotten() {
    WorkflowEngine engine = engine(SUCCEED, 100);
    finish(engine, "loan-1");

    clock.advance(RETENTION.minusSeconds(1));
    assertThat(engine.describe("loan-1")).isPresent();
    assertThat(engine.start("loan-1", "{\"n\":1}"))
        .as("a name is used once while remembered")
        .isEqualTo(StartOutcome.CONFLICTS_WITH_EXISTING);

    clock.advance(Duration.ofSeconds(1));
    assertThat(engine.describe("loan-1")).isEmpty();
    assertThat(engine.listExecutions()).isEmpty();
    assertThat(engine.executionCount()).isZero();
  }

  @Test
  void aForgottenNameStartsANewExecution() {
    WorkflowEngine engine = engine(SUCCEED, 100);
    finish(engine, "loan-1");
    clock.advance(RETENTION);

    finish(engine, "loan-1");

    assertThat(engine.describe("loan-1").orElseThrow().startDate())
        .isEqualTo(EngineTestSupport.NOW.plus(RETENTION));
  }

  @Test
  void beyondTheCapacityTheOldestFinishedAreForgottenFirst() {
    WorkflowEngine engine = engine(SUCCEED, 2);
    finish(engine, "first");
    finish(engine, "second");
    finish(engine, "third");

    assertThat(engine.describe("first")).isEmpty();
    assertThat(engine.listExecutions())
        .extracting(ExecutionSummary::name)
        .containsExactly("second", "third");
  }

  @Test
  void aRunningExecutionIsNeverForgotten() {
    WorkflowEngine engine = engine(EngineTestSupport.waitingDefinition(""), 1);
    EngineTestSupport.Waiter waiter = new EngineTestSupport.Waiter();
    engine.registerFunction("waiter", waiter);
    engine.start("waiting", "{}");
    TaskToken token = waiter.nextToken();
    engine.start("other", "{}");
    engine.stopExecution("other", null, null);
    engine.start("another", "{}");
    engine.stopExecution("another", null, null);

    clock.advance(Duration.ofDays(365));

    assertThat(engine.describe("waiting").orElseThrow().status())
        .isEqualTo(ExecutionStatus.RUNNING);
    assertThat(engine.describe("other")).isEmpty();
    assertThat(engine.describe("another")).isEmpty();
    awaitSubmitted(engine, "waiting");
    assertThat(engine.sendTaskSuccess(token, "{}")).isEqualTo(ResumeOutcome.RESUMED);
  }

  @Test
  void theTokenOfAForgottenExecutionResumesNothing() {
    WorkflowEngine engine = engine(EngineTestSupport.waitingDefinition(""), 100);
    EngineTestSupport.Waiter waiter = new EngineTestSupport.Waiter();
    engine.registerFunction("waiter", waiter);
    engine.start("loan-1", "{}");
    TaskToken token = waiter.nextToken();
    engine.stopExecution("loan-1", null, null);
    assertThat(engine.sendTaskSuccess(token, "{}")).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);

    clock.advance(RETENTION);

    assertThat(engine.sendTaskSuccess(token, "{}")).isEqualTo(ResumeOutcome.TASK_DOES_NOT_EXIST);
    assertThat(engine.sendTaskFailure(token, "E", "c"))
        .isEqualTo(ResumeOutcome.TASK_DOES_NOT_EXIST);
    assertThat(engine.sendTaskHeartbeat(token)).isEqualTo(ResumeOutcome.TASK_DOES_NOT_EXIST);
    assertThat(engine.hasIssued(token)).as("still recognised, for routing").isTrue();
    assertThat(engine.describe("loan-1")).isEmpty();
  }

  @Test
  void aWellFormedTokenOfAnotherEngineIsInvalid() {
    WorkflowEngine engine = engine(EngineTestSupport.waitingDefinition(""), 100);
    EngineTestSupport.Waiter waiter = new EngineTestSupport.Waiter();
    engine.registerFunction("waiter", waiter);
    engine.start("loan-1", "{}");
    TaskToken token = waiter.nextToken();

    WorkflowEngine other = engine(EngineTestSupport.waitingDefinition(""), 100);

    assertThat(other.sendTaskSuccess(token, "{}")).isEqualTo(ResumeOutcome.INVALID_TOKEN);
    assertThat(other.hasIssued(token)).isFalse();
  }

  private static void awaitSubmitted(WorkflowEngine engine, String name) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (engine.describe(name).orElseThrow().eventTypes().stream()
            .noneMatch("TaskSubmitted"::equals)
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }
}
