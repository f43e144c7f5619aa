package com.valuationflow.inmemory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.TaskAnswer;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.util.Objects;
import java.util.Optional;

/** Resumes waiting tasks of a {@link WorkflowEngine}, as the Step Functions task APIs do. */
public final class InMemoryWorkflowResumer implements WorkflowResumer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkflowEngine engine;

  public InMemoryWorkflowResumer(WorkflowEngine engine) {
    this.engine = Objects.requireNonNull(engine, "'engine' must not be null");
  }

  /**
   * @throws IllegalArgumentException if the output is not JSON, as {@code SendTaskSuccess} refuses
   *     it with {@code InvalidOutput}
   */
  @Override
  public ResumeOutcome succeed(TaskToken token, TaskOutput output) {
    Objects.requireNonNull(output, "'output' must not be null");
    return engine.sendTaskSuccess(token, output.json());
  }

  @Override
  public ResumeOutcome fail(TaskToken token, TaskFailure failure) {
    Objects.requireNonNull(failure, "'failure' must not be null");
    return engine.sendTaskFailure(token, failure.error(), failure.cause());
  }

  @Override
  public ResumeOutcome heartbeat(TaskToken token) {
    return engine.sendTaskHeartbeat(token);
  }

  /**
   * Read from the engine's history: the event that closed the token's task. The engine's tokens are
   * unique across its executions, so the token alone names the task.
   */
  @Override
  public TaskClosure closureOf(
      ApplicationReference application, TaskToken token, TaskAnswer answer) {
    Objects.requireNonNull(application, "'application' must not be null");
    Objects.requireNonNull(answer, "'answer' must not be null");
    Optional<HistoryEvent> closing = engine.closingEventOf(token);
    if (closing.isEmpty()) {
      return TaskClosure.OTHERWISE;
    }
    if (closedBy(closing.get(), answer)) {
      return TaskClosure.BY_THIS_ANSWER;
    }
    boolean running =
        engine
            .describe(application.value())
            .map(execution -> execution.status() == ExecutionStatus.RUNNING)
            .orElse(false);
    return running ? TaskClosure.OTHERWISE_WHILE_EXECUTION_RUNS : TaskClosure.OTHERWISE;
  }

  private static boolean closedBy(HistoryEvent closing, TaskAnswer answer) {
    if (answer instanceof TaskOutput output) {
      return closing.type().equals("TaskSucceeded")
          && sameJson(closing.details().get("output"), output.json());
    }
    TaskFailure failure = (TaskFailure) answer;
    return closing.type().equals("TaskFailed")
        && failure.error().equals(closing.details().get("error"))
        && failure.cause().equals(closing.details().get("cause"));
  }

  /** The engine records the output as it parsed it, so compare it as JSON, not as text. */
  private static boolean sameJson(String recorded, String sent) {
    try {
      return recorded != null && JSON.readTree(recorded).equals(JSON.readTree(sent));
    } catch (JsonProcessingException e) {
      return false;
    }
  }
}
