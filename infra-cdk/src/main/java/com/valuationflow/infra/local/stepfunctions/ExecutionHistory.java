package com.valuationflow.infra.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.infra.local.AwsJson;
import com.valuationflow.inmemory.workflow.ExecutionSnapshot;
import java.util.List;

/**
 * {@code GetExecutionHistory}: pages of events, oldest first or with {@code reverseOrder} newest
 * first, with or without execution data. A page token holds the id of the next event, which stays
 * valid while the execution records more.
 */
final class ExecutionHistory {

  private static final String PAGE_KIND = "history";

  private final StateMachines machines;

  ExecutionHistory(StateMachines machines) {
    this.machines = machines;
  }

  JsonNode get(JsonNode request) {
    StateMachines.ExecutionRef ref =
        machines.execution(AwsJson.requiredString(request, "executionArn"));
    int pageSize = Pages.pageSize(request);
    boolean reverse = AwsJson.optionalBoolean(request, "reverseOrder", false);
    boolean includeData = AwsJson.optionalBoolean(request, "includeExecutionData", true);
    ExecutionSnapshot execution =
        ref.machine()
            .engine()
            .describe(ref.name())
            .orElseThrow(() -> StateMachines.executionDoesNotExist(ref.arn()));
    List<HistoryEvent> history = execution.history();
    int size = history.size();
    long firstId = Pages.position(request, PAGE_KIND).orElse(reverse ? (long) size : 1L);
    ArrayNode events = AwsJson.object().arrayNode();
    long id = firstId;
    int step = reverse ? -1 : 1;
    for (; id >= 1 && id <= size && events.size() < pageSize; id += step) {
      events.add(HistoryEventsJson.toJson(history.get((int) id - 1), includeData));
    }
    ObjectNode response = AwsJson.object();
    response.set("events", events);
    if (id >= 1 && id <= size) {
      response.put("nextToken", Pages.token(PAGE_KIND, id));
    }
    return response;
  }
}
