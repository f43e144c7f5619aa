package com.valuationflow.app.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.WorkflowExecution;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where an execution stands, state by state, read from its history, and what its waiting task (if
 * any) waits for: the same reading for the engine's history and Step Functions'.
 */
final class ExecutionProgress {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The task waiting for a callback.
   *
   * @param valuationReference the valuer's reference for the valuation, once it answered
   * @param since when the current attempt was scheduled
   * @param timesOutAt when the task times out, if it has a timeout
   */
  record WaitingTask(
      String state,
      Optional<String> valuationReference,
      Instant since,
      Optional<Instant> timesOutAt) {}

  private final Map<String, StateStatus> statuses = new HashMap<>();
  private WaitingTask waiting;

  private ExecutionProgress() {}

  /**
   * Reads the history.
   *
   * @param secondLength how long a second of the definition's timeouts lasts (shorter in tests)
   */
  static ExecutionProgress of(
      WorkflowExecution execution, StateMachineGraph graph, Duration secondLength) {
    ExecutionProgress progress = new ExecutionProgress();
    String current = null;
    Instant scheduledAt = null;
    Integer timeoutSeconds = null;
    String reference = null;
    for (HistoryEvent event : execution.history()) {
      String type = event.type();
      Map<String, String> details = event.details();
      if (type.endsWith("StateEntered")) {
        current = details.getOrDefault("name", "");
        scheduledAt = null;
        timeoutSeconds = null;
        reference = null;
        progress.statuses.put(current, entered(graph, current));
      } else if (type.endsWith("StateExited")) {
        String name = details.getOrDefault("name", "");
        progress.statuses.computeIfPresent(
            name, (state, status) -> status.isOpen() ? StateStatus.SUCCEEDED : status);
        current = null;
      } else if (current != null) {
        switch (type) {
          case "TaskScheduled" -> {
            scheduledAt = event.timestamp();
            timeoutSeconds = integer(details.get("timeoutInSeconds"));
            reference = null;
            progress.statuses.put(current, StateStatus.RUNNING);
          }
          case "TaskSubmitted" -> {
            reference = valuationReference(details).orElse(null);
            if (graph.node(current).map(StateMachineGraph.Node::waitsForCallback).orElse(false)) {
              progress.statuses.put(current, StateStatus.WAITING);
            }
          }
          case "TaskFailed" -> progress.statuses.put(current, StateStatus.FAILED);
          case "TaskTimedOut" -> progress.statuses.put(current, StateStatus.TIMED_OUT);
          case "ExecutionFailed" -> progress.close(current, StateStatus.FAILED);
          case "ExecutionTimedOut" -> progress.close(current, StateStatus.TIMED_OUT);
          case "ExecutionAborted" -> progress.close(current, StateStatus.ABORTED);
          default -> {}
        }
      }
    }
    if (current != null
        && execution.status() == ExecutionStatus.RUNNING
        && progress.statuses.get(current) == StateStatus.WAITING
        && scheduledAt != null) {
      String state = current;
      Optional<Integer> timeout =
          Optional.ofNullable(timeoutSeconds).or(() -> definedTimeout(graph, state, execution));
      Instant since = scheduledAt;
      progress.waiting =
          new WaitingTask(
              current,
              Optional.ofNullable(reference),
              since,
              timeout.map(seconds -> since.plus(secondLength.multipliedBy(seconds))));
    }
    return progress;
  }

  private static StateStatus entered(StateMachineGraph graph, String name) {
    return graph
        .node(name)
        .map(
            node ->
                node.isFail()
                    ? StateStatus.FAILED
                    : node.isSucceed() ? StateStatus.SUCCEEDED : StateStatus.RUNNING)
        .orElse(StateStatus.RUNNING);
  }

  private void close(String state, StateStatus status) {
    statuses.computeIfPresent(state, (name, now) -> now.isOpen() ? status : now);
  }

  /** The state's status; {@link StateStatus#NOT_REACHED} if the execution never entered it. */
  StateStatus status(String state) {
    return statuses.getOrDefault(state, StateStatus.NOT_REACHED);
  }

  Optional<WaitingTask> waiting() {
    return Optional.ofNullable(waiting);
  }

  private static Optional<Integer> definedTimeout(
      StateMachineGraph graph, String state, WorkflowExecution execution) {
    Optional<StateMachineGraph.Node> node = graph.node(state);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    if (node.get().timeoutSeconds().isPresent()) {
      return node.get().timeoutSeconds();
    }
    return node.get()
        .timeoutSecondsPath()
        .filter(path -> path.matches("\\$\\.[A-Za-z0-9_]+"))
        .flatMap(path -> parse(execution.input()).map(input -> input.path(path.substring(2))))
        .filter(JsonNode::canConvertToInt)
        .map(JsonNode::asInt);
  }

  private static Optional<String> valuationReference(Map<String, String> details) {
    if (details.containsKey("valuationReference")) {
      return Optional.of(details.get("valuationReference"));
    }
    return Optional.ofNullable(details.get("output"))
        .flatMap(ExecutionProgress::parse)
        .map(output -> output.findValue("valuationReference"))
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText);
  }

  private static Optional<JsonNode> parse(String json) {
    try {
      return Optional.ofNullable(MAPPER.readTree(json));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Integer integer(String text) {
    try {
      return text == null ? null : Integer.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
