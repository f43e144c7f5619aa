package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** Builds engines with a fixed clock and a 2 ms ASL second, and closes them after each test. */
abstract class EngineTestSupport {

  static final Instant NOW = Instant.parse("2025-03-14T09:00:00Z");
  static final Duration SECOND = Duration.ofMillis(2);
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<WorkflowEngine> engines = new ArrayList<>();
  private final List<EventWaiter> waiters = new ArrayList<>();
  private final List<String[]> seenEvents = new ArrayList<>();

  private record EventWaiter(String execution, String type, CompletableFuture<HistoryEvent> seen) {}

  @AfterEach
  void closeEngines() {
    engines.forEach(WorkflowEngine::close);
  }

  WorkflowEngine engine(String definition) {
    return engine(definition, SECOND);
  }

  WorkflowEngine engine(String definition, Duration secondLength) {
    return engine(definition, secondLength, WorkflowEngine.DEFAULT_MAX_CONCURRENT_INVOCATIONS);
  }

  WorkflowEngine engine(String definition, Duration secondLength, int maxConcurrentInvocations) {
    WorkflowEngine engine =
        WorkflowEngine.builder(StateMachineDefinition.parse(definition))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .secondLength(secondLength)
            .stateMachineName("TestMachine")
            .maxConcurrentInvocations(maxConcurrentInvocations)
            .build();
    engine.addHistoryListener(this::eventRecorded);
    engines.add(engine);
    return engine;
  }

  private synchronized void eventRecorded(String execution, HistoryEvent event) {
    seenEvents.add(new String[] {execution, event.type()});
    waiters.removeIf(
        waiter -> {
          if (waiter.execution().equals(execution) && waiter.type().equals(event.type())) {
            waiter.seen().complete(event);
            return true;
          }
          return false;
        });
  }

  /** The first event of the type the execution records, or has recorded. */
  synchronized CompletableFuture<HistoryEvent> event(String execution, String type) {
    CompletableFuture<HistoryEvent> seen = new CompletableFuture<>();
    if (seenEvents.stream().anyMatch(e -> e[0].equals(execution) && e[1].equals(type))) {
      seen.complete(null);
    } else {
      waiters.add(new EventWaiter(execution, type, seen));
    }
    return seen;
  }

  static void awaitEvent(CompletableFuture<HistoryEvent> event) {
    event.orTimeout(10, TimeUnit.SECONDS).join();
  }

  static ExecutionSnapshot start(WorkflowEngine engine, String name, String input) {
    assertThat(engine.start(name, input)).isEqualTo(StartOutcome.STARTED);
    return engine.describe(name).orElseThrow();
  }

  static ExecutionSnapshot run(WorkflowEngine engine, String input) {
    assertThat(engine.start("run", input)).isEqualTo(StartOutcome.STARTED);
    return completion(engine, "run");
  }

  static ExecutionSnapshot completion(WorkflowEngine engine, String name) {
    return engine.awaitCompletion(name).orTimeout(10, TimeUnit.SECONDS).join();
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A handler that hands each payload to the test and waits for the test to resume it. */
  static final class Waiter implements TaskHandler {
    final BlockingQueue<JsonNode> payloads = new LinkedBlockingQueue<>();

    @Override
    public JsonNode invoke(JsonNode payload) {
      payloads.add(payload);
      return json("{\"accepted\":true}");
    }

    JsonNode nextPayload() {
      try {
        JsonNode payload = payloads.poll(10, TimeUnit.SECONDS);
        assertThat(payload).as("a payload within 10 s").isNotNull();
        return payload;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    TaskToken nextToken() {
      return TaskToken.of(nextPayload().get("token").textValue());
    }
  }

  /** A definition with one waiting task, whose payload is {@code {"token":...,"input":$}}. */
  static String waitingDefinition(String taskExtras) {
    return """
        {
          "StartAt": "Wait for callback",
          "States": {
            "Wait for callback": {
              "Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Parameters": {
                "FunctionName": "waiter",
                "Payload": {"token.$": "$$.Task.Token", "input.$": "$"}
              },
              %s
              "End": true
            },
            "Recovered": {"Type": "Pass", "End": true}
          }
        }
        """
        .formatted(taskExtras.isEmpty() ? "" : taskExtras + ",");
  }
}
