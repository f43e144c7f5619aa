package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.inmemory.workflow.Condition.Operator;
import com.valuationflow.inmemory.workflow.State.Catcher;
import com.valuationflow.inmemory.workflow.State.ChoiceRule;
import com.valuationflow.inmemory.workflow.State.Jitter;
import com.valuationflow.inmemory.workflow.State.Retrier;
import com.valuationflow.inmemory.workflow.State.TaskResource;
import com.valuationflow.inmemory.workflow.State.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns ASL JSON into a {@link StateMachineDefinition}, validating as Step Functions does. */
final class DefinitionParser {

  private static final int MAX_STATE_NAME_LENGTH = 80;
  private static final long MAX_SECONDS = 99_999_999L;

  private static final Set<String> TOP_LEVEL_FIELDS =
      Set.of("Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage");
  private static final Map<String, Set<String>> STATE_FIELDS =
      Map.of(
          "Pass",
          fields("Next", "End", "InputPath", "OutputPath", "Parameters", "Result", "ResultPath"),
          "Task",
          fields(
              "Next",
              "End",
              "InputPath",
              "OutputPath",
              "Parameters",
              "ResultSelector",
              "ResultPath",
              "Resource",
              "TimeoutSeconds",
              "TimeoutSecondsPath",
              "HeartbeatSeconds",
              "HeartbeatSecondsPath",
              "Retry",
              "Catch"),
          "Choice",
          fields("Choices", "Default", "InputPath", "OutputPath"),
          "Wait",
          fields(
              "Next",
              "End",
              "InputPath",
              "OutputPath",
              "Seconds",
              "SecondsPath",
              "Timestamp",
              "TimestampPath"),
          "Succeed",
          fields("InputPath", "OutputPath"),
          "Fail",
          fields("Error", "ErrorPath", "Cause", "CausePath"));
  private static final Set<String> UNSUPPORTED_TYPES = Set.of("Parallel", "Map");
  private static final Set<String> RETRIER_FIELDS =
      Set.of(
          "ErrorEquals",
          "IntervalSeconds",
          "MaxAttempts",
          "BackoffRate",
          "MaxDelaySeconds",
          "JitterStrategy",
          "Comment");
  private static final Set<String> CATCHER_FIELDS =
      Set.of("ErrorEquals", "Next", "ResultPath", "Comment");

  /** A transition target, checked once every state is known. */
  private record Reference(String state, String field, String target) {}

  private final List<Reference> references = new ArrayList<>();

  private DefinitionParser() {}

  static StateMachineDefinition parse(String json) {
    JsonNode root = Json.parse(json, "The state machine definition");
    return new DefinitionParser().definition(root);
  }

  private static Set<String> fields(String... names) {
    Set<String> all = new LinkedHashSet<>(Arrays.asList(names));
    all.add("Type");
    all.add("Comment");
    return Set.copyOf(all);
  }

  private StateMachineDefinition definition(JsonNode root) {
    if (!root.isObject()) {
      throw new IllegalArgumentException("The state machine definition must be a JSON object");
    }
    root.fieldNames()
        .forEachRemaining(
            field -> {
              if (!TOP_LEVEL_FIELDS.contains(field)) {
                throw new IllegalArgumentException(
                    "The top-level field '" + field + "' is not supported");
              }
            });
    JsonNode queryLanguage = root.get("QueryLanguage");
    if (queryLanguage != null && !"JSONPath".equals(queryLanguage.asText())) {
      throw new IllegalArgumentException(
          "'QueryLanguage' " + queryLanguage + " is not supported; only \"JSONPath\" is");
    }
    String startAt = requiredString(root, "StartAt", "The definition");
    JsonNode statesNode = root.get("States");
    if (statesNode == null || !statesNode.isObject() || statesNode.isEmpty()) {
      throw new IllegalArgumentException("'States' must be an object with at least one state");
    }
    Map<String, State> states = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : statesNode.properties()) {
      states.put(entry.getKey(), state(entry.getKey(), entry.getValue()));
    }
    if (!states.containsKey(startAt)) {
      throw new IllegalArgumentException(
          "'StartAt' names state '" + startAt + "', which is not in 'States'");
    }
    for (Reference reference : references) {
      if (!states.containsKey(reference.target())) {
        throw new IllegalArgumentException(
            "State '"
                + reference.state()
                + "': '"
                + reference.field()
                + "' names state '"
                + reference.target()
                + "', which does not exist");
      }
    }
    Integer timeoutSeconds = optionalSeconds(root, "TimeoutSeconds", "The definition", 1);
    String comment = optionalString(root, "Comment", "The definition");
    return new StateMachineDefinition(startAt, states, timeoutSeconds, comment);
  }

  private State state(String name, JsonNode node) {
    if (name.isEmpty() || name.length() > MAX_STATE_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "State name '" + name + "' must be 1 to " + MAX_STATE_NAME_LENGTH + " characters");
    }
    String where = "State '" + name + "'";
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be a JSON object");
    }
    String type = requiredString(node, "Type", where);
    if (UNSUPPORTED_TYPES.contains(type)) {
      throw new IllegalArgumentException(
          where + ": 'Type' \"" + type + "\" is not supported by this engine");
    }
    Set<String> allowed = STATE_FIELDS.get(type);
    if (allowed == null) {
      throw new IllegalArgumentException(where + ": unknown 'Type' \"" + type + "\"");
    }
    node.fieldNames()
        .forEachRemaining(
            field -> {
              if (!allowed.contains(field)) {
                throw new IllegalArgumentException(
                    where + ": the field '" + field + "' is not supported by a " + type + " state");
              }
            });
    switch (type) {
      case "Pass":
        return new State.Pass(
            name,
            transition(name, node),
            inputOutputPath(node, "InputPath", where),
            inputOutputPath(node, "OutputPath", where),
            node.get("Parameters"),
            node.get("Result"),
            resultPath(node, "ResultPath", where));
      case "Task":
        return task(name, node, where);
      case "Choice":
        return choice(name, node, where);
      case "Wait":
        return waitState(name, node, where);
      case "Succeed":
        return new State.Succeed(
            name,
            inputOutputPath(node, "InputPath", where),
            inputOutputPath(node, "OutputPath", where));
      default:
        return fail(name, node, where);
    }
  }

  private Transition transition(String name, JsonNode node) {
    String where = "State '" + name + "'";
    JsonNode next = node.get("Next");
    JsonNode end = node.get("End");
    if (end != null && !end.isBoolean()) {
      throw new IllegalArgumentException(where + ": 'End' must be a boolean");
    }
    boolean ends = end != null && end.booleanValue();
    if (next != null && ends) {
      throw new IllegalArgumentException(where + ": must not have both 'Next' and 'End': true");
    }
    if (next == null) {
      if (!ends) {
        throw new IllegalArgumentException(where + ": must have either 'Next' or 'End': true");
      }
      return new Transition(null);
    }
    if (!next.isTextual()) {
      throw new IllegalArgumentException(where + ": 'Next' must be a string");
    }
    references.add(new Reference(name, "Next", next.textValue()));
    return new Transition(next.textValue());
  }

  private State.Task task(String name, JsonNode node, String where) {
    String arn = requiredString(node, "Resource", where);
    TaskResource resource =
        Arrays.stream(TaskResource.values())
            .filter(candidate -> candidate.arn().equals(arn))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        where
                            + ": 'Resource' \""
                            + arn
                            + "\" is not supported; use one of "
                            + Arrays.stream(TaskResource.values())
                                .map(TaskResource::arn)
                                .toList()));
    JsonNode parameters = node.get("Parameters");
    if (parameters == null
        || !parameters.isObject()
        || !(parameters.has("FunctionName") || parameters.has("FunctionName.$"))) {
      throw new IllegalArgumentException(
          where + ": 'Parameters' must be an object with a 'FunctionName' for " + arn);
    }
    JsonNode resultSelector = node.get("ResultSelector");
    if (resultSelector != null && !resultSelector.isObject()) {
      throw new IllegalArgumentException(where + ": 'ResultSelector' must be an object");
    }
    Integer timeout = optionalSeconds(node, "TimeoutSeconds", where, 1);
    JsonPath timeoutPath = optionalReferencePath(node, "TimeoutSecondsPath", where);
    Integer heartbeat = optionalSeconds(node, "HeartbeatSeconds", where, 1);
    JsonPath heartbeatPath = optionalReferencePath(node, "HeartbeatSecondsPath", where);
    exclusive(node, where, "TimeoutSeconds", "TimeoutSecondsPath");
    exclusive(node, where, "HeartbeatSeconds", "HeartbeatSecondsPath");
    if (timeout != null && heartbeat != null && heartbeat >= timeout) {
      throw new IllegalArgumentException(
          where + ": 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'");
    }
    return new State.Task(
        name,
        transition(name, node),
        inputOutputPath(node, "InputPath", where),
        inputOutputPath(node, "OutputPath", where),
        parameters,
        resultSelector,
        resultPath(node, "ResultPath", where),
        resource,
        timeout,
        timeoutPath,
        heartbeat,
        heartbeatPath,
        retriers(node, where),
        catchers(name, node, where));
  }

  private List<Retrier> retriers(JsonNode node, String where) {
    List<Retrier> retriers = new ArrayList<>();
    JsonNode retry = node.get("Retry");
    if (retry == null) {
      return retriers;
    }
    if (!retry.isArray()) {
      throw new IllegalArgumentException(where + ": 'Retry' must be an array");
    }
    for (int i = 0; i < retry.size(); i++) {
      String at = where + ": Retry[" + i + "]";
      JsonNode retrier = objectWithFields(retry.get(i), at, RETRIER_FIELDS);
      Integer interval = optionalSeconds(retrier, "IntervalSeconds", at, 1);
      Integer maxAttempts = optionalSeconds(retrier, "MaxAttempts", at, 0);
      Integer maxDelay = optionalSeconds(retrier, "MaxDelaySeconds", at, 1);
      JsonNode backoff = retrier.get("BackoffRate");
      if (backoff != null && (!backoff.isNumber() || backoff.doubleValue() < 1.0)) {
        throw new IllegalArgumentException(at + ": 'BackoffRate' must be a number >= 1.0");
      }
      String jitter = optionalString(retrier, "JitterStrategy", at);
      if (jitter != null && !jitter.equals("FULL") && !jitter.equals("NONE")) {
        throw new IllegalArgumentException(at + ": 'JitterStrategy' must be \"FULL\" or \"NONE\"");
      }
      retriers.add(
          new Retrier(
              errorEquals(retrier, at, i == retry.size() - 1),
              interval == null ? 1 : interval,
              maxAttempts == null ? 3 : maxAttempts,
              backoff == null ? 2.0 : backoff.doubleValue(),
              maxDelay,
              jitter == null ? Jitter.NONE : Jitter.valueOf(jitter)));
    }
    return List.copyOf(retriers);
  }

  private List<Catcher> catchers(String name, JsonNode node, String where) {
    List<Catcher> catchers = new ArrayList<>();
    JsonNode catchNode = node.get("Catch");
    if (catchNode == null) {
      return catchers;
    }
    if (!catchNode.isArray()) {
      throw new IllegalArgumentException(where + ": 'Catch' must be an array");
    }
    for (int i = 0; i < catchNode.size(); i++) {
      String at = where + ": Catch[" + i + "]";
      JsonNode catcher = objectWithFields(catchNode.get(i), at, CATCHER_FIELDS);
      String next = requiredString(catcher, "Next", at);
      references.add(new Reference(name, "Catch[" + i + "].Next", next));
      catchers.add(
          new Catcher(
              errorEquals(catcher, at, i == catchNode.size() - 1),
              next,
              resultPath(catcher, "ResultPath", at)));
    }
    return List.copyOf(catchers);
  }

  private static List<String> errorEquals(JsonNode node, String at, boolean last) {
    JsonNode errors = node.get("ErrorEquals");
    if (errors == null || !errors.isArray() || errors.isEmpty()) {
      throw new IllegalArgumentException(at + ": 'ErrorEquals' must be a non-empty array");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode error : errors) {
      if (!error.isTextual() || error.textValue().isEmpty()) {
        throw new IllegalArgumentException(at + ": 'ErrorEquals' must hold error names");
      }
      names.add(error.textValue());
    }
    if (names.contains(StatesErrors.ALL) && (names.size() > 1 || !last)) {
      throw new IllegalArgumentException(
          at
              + ": \"States.ALL\" must appear alone in 'ErrorEquals', and only in the last"
              + " Retrier or Catcher");
    }
    return List.copyOf(names);
  }

  private State.Choice choice(String name, JsonNode node, String where) {
    JsonNode choices = node.get("Choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      throw new IllegalArgumentException(where + ": 'Choices' must be a non-empty array");
    }
    List<ChoiceRule> rules = new ArrayList<>();
    for (int i = 0; i < choices.size(); i++) {
      String at = where + ": Choices[" + i + "]";
      JsonNode rule = choices.get(i);
      Condition condition = condition(rule, at, true);
      String next = requiredString(rule, "Next", at);
      references.add(new Reference(name, "Choices[" + i + "].Next", next));
      rules.add(new ChoiceRule(condition, next));
    }
    String defaultNext = optionalString(node, "Default", where);
    if (defaultNext != null) {
      references.add(new Reference(name, "Default", defaultNext));
    }
    return new State.Choice(
        name,
        inputOutputPath(node, "InputPath", where),
        inputOutputPath(node, "OutputPath", where),
        List.copyOf(rules),
        defaultNext);
  }

  private Condition condition(JsonNode rule, String at, boolean topLevel) {
    if (!rule.isObject()) {
      throw new IllegalArgumentException(at + " must be a JSON object");
    }
    if (!topLevel && rule.has("Next")) {
      throw new IllegalArgumentException(at + ": a nested rule must not have 'Next'");
    }
    List<String> operators = new ArrayList<>();
    rule.fieldNames()
        .forEachRemaining(
            field -> {
              if (!field.equals("Next") && !field.equals("Comment") && !field.equals("Variable")) {
                operators.add(field);
              }
            });
    if (operators.size() != 1) {
      throw new IllegalArgumentException(
          at + ": a Choice Rule must have exactly one operator, found " + operators);
    }
    String operator = operators.get(0);
    JsonNode operand = rule.get(operator);
    switch (operator) {
      case "And":
      case "Or":
        if (rule.has("Variable")) {
          throw new IllegalArgumentException(at + ": '" + operator + "' takes no 'Variable'");
        }
        if (!operand.isArray() || operand.isEmpty()) {
          throw new IllegalArgumentException(at + ": '" + operator + "' must be a non-empty array");
        }
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < operand.size(); i++) {
          conditions.add(condition(operand.get(i), at + "." + operator + "[" + i + "]", false));
        }
        return operator.equals("And")
            ? new Condition.And(List.copyOf(conditions))
            : new Condition.Or(List.copyOf(conditions));
      case "Not":
        if (rule.has("Variable")) {
          throw new IllegalArgumentException(at + ": 'Not' takes no 'Variable'");
        }
        return new Condition.Not(condition(operand, at + ".Not", false));
      default:
        return comparison(rule, operator, operand, at);
    }
  }

  private static Condition comparison(JsonNode rule, String field, JsonNode operand, String at) {
    JsonPath variable = optionalReferencePath(rule, "Variable", at);
    if (variable == null) {
      throw new IllegalArgumentException(at + ": '" + field + "' needs a 'Variable'");
    }
    Operator byName = Operator.byField(field).orElse(null);
    if (byName != null) {
      if (!byName.accepts(operand)) {
        throw new IllegalArgumentException(
            at
                + ": the value of '"
                + field
                + "' is not a valid "
                + byName.kind().name().toLowerCase());
      }
      return new Condition.Comparison(variable, byName, operand, null);
    }
    if (field.endsWith("Path")) {
      Operator base = Operator.byField(field.substring(0, field.length() - 4)).orElse(null);
      if (base != null && base.hasPathVariant()) {
        return new Condition.Comparison(variable, base, null, referencePath(operand, field, at));
      }
    }
    throw new IllegalArgumentException(at + ": unknown Choice Rule operator '" + field + "'");
  }

  private State.Wait waitState(String name, JsonNode node, String where) {
    List<String> present =
        Arrays.stream(new String[] {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"})
            .filter(node::has)
            .toList();
    if (present.size() != 1) {
      throw new IllegalArgumentException(
          where
              + ": must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp' and"
              + " 'TimestampPath', found "
              + present);
    }
    Integer seconds = optionalSeconds(node, "Seconds", where, 0);
    Instant timestamp = null;
    if (node.has("Timestamp")) {
      timestamp =
          Condition.timestamp(node.get("Timestamp"))
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          where + ": 'Timestamp' must be an RFC 3339 timestamp"));
    }
    return new State.Wait(
        name,
        transition(name, node),
        inputOutputPath(node, "InputPath", where),
        inputOutputPath(node, "OutputPath", where),
        seconds == null ? null : seconds.longValue(),
        optionalReferencePath(node, "SecondsPath", where),
        timestamp,
        optionalReferencePath(node, "TimestampPath", where));
  }

  private static State.Fail fail(String name, JsonNode node, String where) {
    exclusive(node, where, "Error", "ErrorPath");
    exclusive(node, where, "Cause", "CausePath");
    return new State.Fail(
        name,
        optionalString(node, "Error", where),
        optionalReferencePath(node, "ErrorPath", where),
        optionalString(node, "Cause", where),
        optionalReferencePath(node, "CausePath", where));
  }

  private static JsonNode objectWithFields(JsonNode node, String at, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(at + " must be a JSON object");
    }
    node.fieldNames()
        .forEachRemaining(
            field -> {
              if (!allowed.contains(field)) {
                throw new IllegalArgumentException(
                    at + ": the field '" + field + "' is not supported");
              }
            });
    return node;
  }

  private static void exclusive(JsonNode node, String where, String one, String other) {
    if (node.has(one) && node.has(other)) {
      throw new IllegalArgumentException(
          where + ": must not have both '" + one + "' and '" + other + "'");
    }
  }

  private static String requiredString(JsonNode node, String field, String where) {
    String value = optionalString(node, field, where);
    if (value == null) {
      throw new IllegalArgumentException(where + ": '" + field + "' is required");
    }
    return value;
  }

  private static String optionalString(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(where + ": '" + field + "' must be a string");
    }
    return value.textValue();
  }

  private static Integer optionalSeconds(JsonNode node, String field, String where, int min) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber()
        || !value.canConvertToLong()
        || value.longValue() < min
        || value.longValue() > MAX_SECONDS) {
      throw new IllegalArgumentException(
          where + ": '" + field + "' must be an integer from " + min + " to " + MAX_SECONDS);
    }
    return value.intValue();
  }

  /** InputPath and OutputPath: default {@code $}; JSON null selects nothing. */
  private static JsonPath inputOutputPath(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      return JsonPath.ROOT;
    }
    if (value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(where + ": '" + field + "' must be a JSONPath or null");
    }
    try {
      return JsonPath.parse(value.textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": '" + field + "': " + e.getMessage(), e);
    }
  }

  /** ResultPath: default {@code $}; JSON null discards the result. */
  private static JsonPath resultPath(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      return JsonPath.ROOT;
    }
    if (value.isNull()) {
      return null;
    }
    JsonPath path = referencePath(value, field, where);
    if (path.isContext()) {
      throw new IllegalArgumentException(
          where + ": '" + field + "' must be a path into the state's input, not '$$'");
    }
    return path;
  }

  private static JsonPath optionalReferencePath(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    return value == null ? null : referencePath(value, field, where);
  }

  private static JsonPath referencePath(JsonNode value, String field, String where) {
    if (!value.isTextual()) {
      throw new IllegalArgumentException(where + ": '" + field + "' must be a Reference Path");
    }
    JsonPath path;
    try {
      path = JsonPath.parse(value.textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": '" + field + "': " + e.getMessage(), e);
    }
    if (!path.isSupported()) {
      throw new IllegalArgumentException(
          where
              + ": '"
              + field
              + "' must be a Reference Path, which cannot use "
              + path.unsupportedFeature());
    }
    return path;
  }
}
