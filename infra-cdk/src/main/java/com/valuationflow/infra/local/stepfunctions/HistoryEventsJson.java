package com.valuationflow.infra.local.stepfunctions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.infra.local.AwsJson;
import java.util.Map;
import java.util.Set;

/**
 * Writes engine history events as {@code GetExecutionHistory} returns them: {@code id}, {@code
 * previousEventId}, {@code timestamp}, {@code type} and the typed details object, such as {@code
 * stateEnteredEventDetails} or {@code taskScheduledEventDetails}, with {@code inputDetails} and
 * {@code outputDetails} beside input and output, and numbers where the service has numbers
 * (timeouts, a Map's {@code length} and its iterations' {@code index}).
 */
final class HistoryEventsJson {

  private static final Set<String> NUMBERS =
      Set.of("timeoutInSeconds", "heartbeatInSeconds", "index", "length");
  private static final Set<String> EXECUTION_DATA = Set.of("input", "output", "parameters");

  private HistoryEventsJson() {}

  /**
   * @param includeExecutionData false leaves out input, output and task parameters
   */
  static ObjectNode toJson(HistoryEvent event, boolean includeExecutionData) {
    ObjectNode json = AwsJson.object();
    json.put("id", event.id());
    json.put("previousEventId", event.previousEventId());
    json.put("timestamp", AwsJson.epochSeconds(event.timestamp()));
    json.put("type", event.type());
    if (event.details().isEmpty()) {
      return json; // as the service writes events without details, such as ParallelStateStarted
    }
    ObjectNode details = json.putObject(detailsMember(event.type()));
    for (Map.Entry<String, String> detail : event.details().entrySet()) {
      String key = detail.getKey();
      if (!includeExecutionData && EXECUTION_DATA.contains(key)) {
        continue;
      }
      if (NUMBERS.contains(key)) {
        details.put(key, Long.parseLong(detail.getValue()));
      } else {
        details.put(key, detail.getValue());
      }
      if (key.equals("input") || key.equals("output")) {
        details.putObject(key + "Details").put("truncated", false);
      }
    }
    return json;
  }

  /** {@code stateEnteredEventDetails} for every {@code *StateEntered} event, and so on. */
  static String detailsMember(String type) {
    if (type.endsWith("StateEntered")) {
      return "stateEnteredEventDetails";
    }
    if (type.endsWith("StateExited")) {
      return "stateExitedEventDetails";
    }
    return Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
  }
}
