package com.valuationflow.infra.local.stepfunctions;

import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.infra.local.AwsServiceError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state machines of the local service by name, and the lookups every operation starts with,
 * answering {@code StateMachineDoesNotExist} and {@code ExecutionDoesNotExist} as the service does.
 */
final class StateMachines {

  /** An execution's state machine and name; the execution itself may not exist. */
  record ExecutionRef(LocalStateMachine machine, String name, String arn) {}

  private final String region;
  private final String accountId;
  private final Map<String, LocalStateMachine> byName = new LinkedHashMap<>();

  StateMachines(String region, String accountId) {
    this.region = region;
    this.accountId = accountId;
  }

  synchronized void add(LocalStateMachine machine) {
    if (byName.containsKey(machine.name())) {
      throw new IllegalArgumentException(
          "A state machine named '" + machine.name() + "' exists already");
    }
    byName.put(machine.name(), machine);
  }

  /** In creation order. */
  synchronized List<LocalStateMachine> all() {
    return new ArrayList<>(byName.values());
  }

  /**
   * @throws AwsServiceError {@code InvalidArn}, or {@code StateMachineDoesNotExist} (also for a
   *     version or alias ARN, which this service does not have)
   */
  LocalStateMachine require(String stateMachineArn) {
    StatesArns.Parsed arn = StatesArns.stateMachine(stateMachineArn);
    LocalStateMachine machine = null;
    if (arn.isIn(region, accountId) && arn.names().size() == 1) {
      synchronized (this) {
        machine = byName.get(arn.names().get(0));
      }
    }
    if (machine == null) {
      throw AwsServiceError.of(
          "StateMachineDoesNotExist", "State Machine Does Not Exist: '" + stateMachineArn + "'");
    }
    return machine;
  }

  /**
   * The state machine of an execution ARN, which must exist, and the execution's name.
   *
   * @throws AwsServiceError {@code InvalidArn}, or {@code ExecutionDoesNotExist} when its state
   *     machine does not exist
   */
  ExecutionRef execution(String executionArn) {
    StatesArns.Parsed arn = StatesArns.execution(executionArn);
    LocalStateMachine machine = null;
    if (arn.isIn(region, accountId)) {
      synchronized (this) {
        machine = byName.get(arn.names().get(0));
      }
    }
    if (machine == null) {
      throw executionDoesNotExist(executionArn);
    }
    return new ExecutionRef(machine, arn.names().get(1), executionArn);
  }

  /** The state machine whose engine issued the token. */
  Optional<LocalStateMachine> issuerOf(TaskToken token) {
    return all().stream().filter(machine -> machine.engine().hasIssued(token)).findFirst();
  }

  static AwsServiceError executionDoesNotExist(String executionArn) {
    return AwsServiceError.of(
        "ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
  }
}
