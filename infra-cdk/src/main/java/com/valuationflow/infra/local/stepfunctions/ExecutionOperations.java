package com.valuationflow.infra.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import com.valuationflow.infra.local.AwsJson;
import com.valuationflow.infra.local.AwsServiceError;
import com.valuationflow.inmemory.workflow.ExecutionSnapshot;
import com.valuationflow.inmemory.workflow.ExecutionSummary;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code StartExecution}, {@code DescribeExecution}, {@code StopExecution}, {@code ListExecutions}.
 */
final class ExecutionOperations {

  private static final String PAGE_KIND = "executions";
  private static final List<String> STATUSES =
      List.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE");

  private final StateMachines machines;

  ExecutionOperations(StateMachines machines) {
    this.machines = machines;
  }

  JsonNode start(JsonNode request) {
    LocalStateMachine machine =
        machines.require(AwsJson.requiredString(request, "stateMachineArn"));
    String name =
        AwsJson.optionalString(request, "name").orElseGet(() -> UUID.randomUUID().toString());
    if (!WorkflowEngine.isValidName(name)) {
      throw AwsServiceError.of("InvalidName", "Invalid Name: '" + name + "'");
    }
    String input = AwsJson.optionalString(request, "input").orElse("{}");
    StartOutcome outcome;
    try {
      outcome = machine.engine().start(name, input);
    } catch (IllegalArgumentException e) {
      throw AwsServiceError.of(
          "InvalidExecutionInput",
          "Invalid State Machine Execution Input: '" + e.getMessage() + "'");
    }
    String executionArn = machine.executionArn(name);
    if (outcome == StartOutcome.CONFLICTS_WITH_EXISTING) {
      throw AwsServiceError.of(
          "ExecutionAlreadyExists", "Execution Already Exists: '" + executionArn + "'");
    }
    ExecutionSnapshot started = machine.engine().describe(name).orElseThrow();
    ObjectNode response = AwsJson.object();
    response.put("executionArn", executionArn);
    response.put("startDate", AwsJson.epochSeconds(started.startDate()));
    return response;
  }

  JsonNode describe(JsonNode request) {
    StateMachines.ExecutionRef ref =
        machines.execution(AwsJson.requiredString(request, "executionArn"));
    ExecutionSnapshot execution = snapshot(ref);
    String includedData = AwsJson.optionalString(request, "includedData").orElse("ALL_DATA");
    if (!includedData.equals("ALL_DATA") && !includedData.equals("METADATA_ONLY")) {
      throw AwsJson.validation(
          "includedData",
          includedData,
          "Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]");
    }
    ObjectNode response = summary(ref.machine(), execution.name(), execution.status());
    response.put("startDate", AwsJson.epochSeconds(execution.startDate()));
    execution.stopDate().ifPresent(stop -> response.put("stopDate", AwsJson.epochSeconds(stop)));
    if (includedData.equals("ALL_DATA")) {
      response.put("input", execution.input());
      response.putObject("inputDetails").put("included", true);
      execution
          .output()
          .ifPresent(
              output -> {
                response.put("output", output);
                response.putObject("outputDetails").put("included", true);
              });
    }
    execution.error().ifPresent(error -> response.put("error", error));
    execution.cause().ifPresent(cause -> response.put("cause", cause));
    return response;
  }

  /** Stops a running execution; an execution that has ended already answers its stop date. */
  JsonNode stop(JsonNode request) {
    StateMachines.ExecutionRef ref =
        machines.execution(AwsJson.requiredString(request, "executionArn"));
    String error = AwsJson.optionalString(request, "error", 256).orElse(null);
    String cause = AwsJson.optionalString(request, "cause", 32_768).orElse(null);
    snapshot(ref);
    ref.machine().engine().stopExecution(ref.name(), error, cause);
    ExecutionSnapshot stopped = snapshot(ref);
    ObjectNode response = AwsJson.object();
    response.put("stopDate", AwsJson.epochSeconds(stopped.stopDate().orElseThrow()));
    return response;
  }

  /** Newest first, as the service lists them. */
  JsonNode list(JsonNode request) {
    if (request.hasNonNull("mapRunArn")) {
      throw AwsServiceError.of("ValidationException", "Map Runs are not supported locally");
    }
    LocalStateMachine machine =
        machines.require(AwsJson.requiredString(request, "stateMachineArn"));
    Optional<String> statusFilter = AwsJson.optionalString(request, "statusFilter");
    statusFilter.ifPresent(
        status -> {
          if (!STATUSES.contains(status)) {
            throw AwsJson.validation(
                "statusFilter", status, "Member must satisfy enum value set: " + STATUSES);
          }
        });
    int pageSize = Pages.pageSize(request);
    List<ExecutionSummary> executions = machine.engine().listExecutions();
    long from = Pages.position(request, PAGE_KIND).orElse((long) executions.size() - 1);
    ArrayNode page = AwsJson.object().arrayNode();
    long index = Math.min(from, executions.size() - 1);
    for (; index >= 0 && page.size() < pageSize; index--) {
      ExecutionSummary execution = executions.get((int) index);
      if (statusFilter.isEmpty() || statusFilter.get().equals(execution.status().name())) {
        ObjectNode item = summary(machine, execution.name(), execution.status());
        item.put("startDate", AwsJson.epochSeconds(execution.startDate()));
        execution.stopDate().ifPresent(stop -> item.put("stopDate", AwsJson.epochSeconds(stop)));
        page.add(item);
      }
    }
    ObjectNode response = AwsJson.object();
    response.set("executions", page);
    if (index >= 0 && hasMore(executions, index, statusFilter)) {
      response.put("nextToken", Pages.token(PAGE_KIND, index));
    }
    return response;
  }

  /** {@code DescribeStateMachineForExecution}: the execution's state machine. */
  JsonNode describeStateMachineFor(JsonNode request, StateMachineOperations stateMachines) {
    StateMachines.ExecutionRef ref =
        machines.execution(AwsJson.requiredString(request, "executionArn"));
    snapshot(ref);
    ObjectNode response = stateMachines.description(ref.machine());
    response.put("updateDate", response.get("creationDate").decimalValue());
    Arrays.asList("status", "type", "creationDate").forEach(response::remove);
    return response;
  }

  private static boolean hasMore(
      List<ExecutionSummary> executions, long index, Optional<String> statusFilter) {
    for (long i = index; i >= 0; i--) {
      ExecutionStatus status = executions.get((int) i).status();
      if (statusFilter.isEmpty() || statusFilter.get().equals(status.name())) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode summary(
      LocalStateMachine machine, String name, ExecutionStatus status) {
    ObjectNode summary = AwsJson.object();
    summary.put("executionArn", machine.executionArn(name));
    summary.put("stateMachineArn", machine.arn());
    summary.put("name", name);
    summary.put("status", status.name());
    summary.put("redriveCount", 0);
    return summary;
  }

  private static ExecutionSnapshot snapshot(StateMachines.ExecutionRef ref) {
    return ref.machine()
        .engine()
        .describe(ref.name())
        .orElseThrow(() -> StateMachines.executionDoesNotExist(ref.arn()));
  }
}
