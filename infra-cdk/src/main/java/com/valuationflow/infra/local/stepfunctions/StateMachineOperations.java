package com.valuationflow.infra.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.infra.local.AwsJson;
import java.util.List;

/** {@code DescribeStateMachine} and {@code ListStateMachines}; every state machine is STANDARD. */
final class StateMachineOperations {

  private static final String PAGE_KIND = "stateMachines";

  private final StateMachines machines;

  StateMachineOperations(StateMachines machines) {
    this.machines = machines;
  }

  JsonNode describe(JsonNode request) {
    return description(machines.require(AwsJson.requiredString(request, "stateMachineArn")));
  }

  /** In creation order. */
  JsonNode list(JsonNode request) {
    int pageSize = Pages.pageSize(request);
    List<LocalStateMachine> all = machines.all();
    long from = Pages.position(request, PAGE_KIND).orElse(0L);
    ArrayNode page = AwsJson.object().arrayNode();
    long index = Math.max(0, from);
    for (; index < all.size() && page.size() < pageSize; index++) {
      LocalStateMachine machine = all.get((int) index);
      ObjectNode item = page.addObject();
      item.put("stateMachineArn", machine.arn());
      item.put("name", machine.name());
      item.put("type", "STANDARD");
      item.put("creationDate", AwsJson.epochSeconds(machine.creationDate()));
    }
    ObjectNode response = AwsJson.object();
    response.set("stateMachines", page);
    if (index < all.size()) {
      response.put("nextToken", Pages.token(PAGE_KIND, index));
    }
    return response;
  }

  ObjectNode description(LocalStateMachine machine) {
    ObjectNode response = AwsJson.object();
    response.put("stateMachineArn", machine.arn());
    response.put("name", machine.name());
    response.put("status", "ACTIVE");
    response.put("definition", machine.definition());
    response.put("roleArn", machine.roleArn());
    response.put("type", "STANDARD");
    response.put("creationDate", AwsJson.epochSeconds(machine.creationDate()));
    ObjectNode logging = response.putObject("loggingConfiguration");
    logging.put("level", "OFF");
    logging.put("includeExecutionData", false);
    response.putObject("tracingConfiguration").put("enabled", false);
    return response;
  }
}
