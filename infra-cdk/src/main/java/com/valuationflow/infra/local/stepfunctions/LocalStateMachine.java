package com.valuationflow.infra.local.stepfunctions;

import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.time.Instant;
import java.util.Objects;

/**
 * One state machine of the local service: what {@code DescribeStateMachine} shows, and its engine.
 */
record LocalStateMachine(
    String name,
    String arn,
    String definition,
    String roleArn,
    Instant creationDate,
    WorkflowEngine engine) {

  LocalStateMachine {
    Objects.requireNonNull(name, "'name' must not be null");
    Objects.requireNonNull(arn, "'arn' must not be null");
    Objects.requireNonNull(definition, "'definition' must not be null");
    Objects.requireNonNull(roleArn, "'roleArn' must not be null");
    Objects.requireNonNull(creationDate, "'creationDate' must not be null");
    Objects.requireNonNull(engine, "'engine' must not be null");
  }

  String executionArn(String executionName) {
    return engine.executionArn(executionName);
  }
}
