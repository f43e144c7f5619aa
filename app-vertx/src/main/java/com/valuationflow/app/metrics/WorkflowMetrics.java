package com.valuationflow.app.metrics;

import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.inmemory.workflow.HistoryListener;
import io.micrometer.core.instrument.Gauge;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the in-memory engine's histories tell: workflows that ended, by status and error, and the
 * tasks waiting for a callback now (a {@code .waitForTaskToken} task submitted and not yet closed).
 * Step Functions reports the same in CloudWatch ({@code AWS/States}); this app does not see it in
 * {@code MODE=aws}.
 */
public final class WorkflowMetrics implements HistoryListener {

  private final ServiceMetrics metrics;

  /** Per execution waiting for a task: the id of the event that made it wait. */
  private final Map<String, Long> waiting = new ConcurrentHashMap<>();

  public WorkflowMetrics(ServiceMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "'metrics' must not be null");
    Gauge.builder("valuationflow.tasks.waiting", waiting, Map::size)
        .description("Workflow tasks waiting for a valuer's callback now (in memory only)")
        .register(metrics.registry());
  }

  @Override
  public void onEvent(String executionName, HistoryEvent event) {
    switch (event.type()) {
      case "TaskSubmitted" -> waiting.merge(executionName, event.id(), Math::max);
      case "TaskSucceeded", "TaskFailed", "TaskTimedOut" ->
          waiting.computeIfPresent(executionName, (name, id) -> id < event.id() ? null : id);
      case "ExecutionSucceeded" -> finished(executionName, "succeeded", "");
      case "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted" ->
          finished(
              executionName,
              status(event.type()),
              event.details().getOrDefault("error", "").strip());
      default -> {
        // other events change neither figure
      }
    }
  }

  private void finished(String executionName, String status, String error) {
    waiting.remove(executionName);
    metrics.applicationFinished(status, error);
  }

  private static String status(String type) {
    String camel = type.substring("Execution".length());
    return camel.equals("TimedOut") ? "timed_out" : camel.toLowerCase(Locale.ROOT);
  }
}
