package com.valuationflow.inmemory;

import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.util.Objects;

/** Resumes waiting tasks of a {@link WorkflowEngine}, as the Step Functions task APIs do. */
public final class InMemoryWorkflowResumer implements WorkflowResumer {

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
}
