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
  private static final java.util.regex.Pattern LAMBDA_FUNCTION_ARN =
      java.util.regex.Pattern.compile(
          "arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[^:]+(:[^:]+)?");
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
          fields("Error", "ErrorPath", "Cause", "CausePath"),
          "Parallel",
          fields(
              "Next",
              "End",
              "InputPath",
              "OutputPath",
              "Parameters",
              "ResultSelector",
              "ResultPath",
              "Branches",
              "Retry",
              "Catch"),
          "Map",
          fields(
              "Next",
              "End",
              "InputPath",
              "OutputPath",
              "ItemsPath",
              "ItemSelector",
              "Parameters",
              "ResultSelector",
              "ResultPath",
              "ItemProcessor",
              "Iterator",
              "MaxConcurrency",
              "MaxConcurrencyPath",
              "ToleratedFailurePercentage",
              "ToleratedFailurePercentagePath",
              "ToleratedFailureCount",
              "ToleratedFailureCountPath",
              "Retry",
              "Catch"));
  private static final Set<String> DISTRIBUTED_MAP_FIELDS =
      Set.of("ItemReader", "ItemBatcher", "ResultWriter", "Label");
  private static final Set<String> PROCESSOR_FIELDS =
      Set.of("StartAt", "States", "Comment", "ProcessorConfig", "TimeoutSeconds", "Version");
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

  private List<Reference> references = new ArrayList<>();

  /** Where the parser is, as a JSON pointer, for the location of a problem. */
  private String location = "/";

  /** The pointer of the states object being parsed: "" at the top, or a branch's. */
  private String scope = "";

  /** The pointer of the state being parsed, or of its machine for machine-level fields. */
  private String statePointer = "";

  private DefinitionParser() {}

  /**
   * @throws InvalidDefinitionException naming the problem's state, field and location
   */
  static StateMachineDefinition parse(String json) {
    JsonNode root;
    try {
      root = Json.parse(json, "The state machine definition");
    } catch (IllegalArgumentException e) {
      throw new InvalidDefinitionException("INVALID_JSON_DESCRIPTION", e.getMessage(), "/");
    }
    DefinitionParser parser = new DefinitionParser();
    try {
      return parser.definition(root);
    } catch (InvalidDefinitionException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidDefinitionException(
          "SCHEMA_VALIDATION_FAILED", e.getMessage(), parser.location);
    }
  }

  /** A problem with a field of the current state, located at that field. */
  private IllegalArgumentException invalidAt(String field, String message) {
    location = (statePointer.isEmpty() ? "" : statePointer) + "/" + field;
    return new IllegalArgumentException(message);
  }

  private IllegalArgumentException invalidAt(String field, String message, Throwable cause) {
    location = (statePointer.isEmpty() ? "" : statePointer) + "/" + field;
    return new IllegalArgumentException(message, cause);
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
      location = "/QueryLanguage";
      throw new IllegalArgumentException(
          "'QueryLanguage' " + queryLanguage + " is not supported; only \"JSONPath\" is");
    }
    return machine(root, "");
  }

  /** The top-level definition, a Parallel branch or a Map's processor. */
  private StateMachineDefinition machine(JsonNode root, String pointer) {
    List<Reference> outerReferences = references;
    String outerScope = scope;
    references = new ArrayList<>();
    scope = pointer;
    statePointer = pointer;
    location = pointer.isEmpty() ? "/" : pointer;
    if (root.get("States") == null) {
      throw new IllegalArgumentException(
          root.get("StartAt") == null
              ? "These fields are required: [States, StartAt]"
              : "These fields are required: [States]");
    }
    String startAt = requiredString(root, "StartAt", "The definition");
    JsonNode statesNode = root.get("States");
    if (!statesNode.isObject() || statesNode.isEmpty()) {
      location = pointer + "/States";
      throw new IllegalArgumentException("'States' must be an object with at least one state");
    }
    Map<String, State> states = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : statesNode.properties()) {
      states.put(entry.getKey(), state(entry.getKey(), entry.getValue()));
    }
    if (!states.containsKey(startAt)) {
      throw new InvalidDefinitionException(
          "MISSING_TRANSITION_TARGET",
          "'StartAt' names state '" + startAt + "', which is not in 'States'",
          pointer + "/StartAt");
    }
    for (Reference reference : references) {
      if (!states.containsKey(reference.target())) {
        throw new InvalidDefinitionException(
            "MISSING_TRANSITION_TARGET",
            "State '"
                + reference.state()
                + "': '"
                + reference.field()
                + "' names state '"
                + reference.target()
                + "', which does not exist",
            pointer
                + "/States/"
                + reference.state()
                + "/"
                + reference.field().replace('[', '/').replace("]", "").replace('.', '/'));
      }
    }
    location = pointer.isEmpty() ? "/" : pointer;
    statePointer = pointer;
    Integer timeoutSeconds = optionalSeconds(root, "TimeoutSeconds", "The definition", 1);
    String comment = optionalString(root, "Comment", "The definition");
    references = outerReferences;
    scope = outerScope;
    return new StateMachineDefinition(startAt, states, timeoutSeconds, comment);
  }

  private State state(String name, JsonNode node) {
    if (name.isEmpty() || name.length() > MAX_STATE_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "State name '" + name + "' must be 1 to " + MAX_STATE_NAME_LENGTH + " characters");
    }
    String where = "State '" + name + "'";
    String statePointer = scope + "/States/" + name;
    this.statePointer = statePointer;
    location = statePointer;
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be a JSON object");
    }
    String type = requiredString(node, "Type", where);
    Set<String> allowed = STATE_FIELDS.get(type);
    if (allowed == null) {
      location = statePointer + "/Type";
      throw new IllegalArgumentException(
          where
              + ": unknown 'Type' \""
              + type
              + "\"; the field 'Type' should have one of these values: "
              + "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]");
    }
    JsonNode stateLanguage = node.get("QueryLanguage");
    if (stateLanguage != null && !"JSONPath".equals(stateLanguage.asText())) {
      location = statePointer + "/QueryLanguage";
      throw new IllegalArgumentException(
          where + ": 'QueryLanguage' " + stateLanguage + " is not supported; only \"JSONPath\" is");
    }
    node.fieldNames()
        .forEachRemaining(
            field -> {
              location = statePointer + "/" + field;
              if (type.equals("Map") && DISTRIBUTED_MAP_FIELDS.contains(field)) {
                throw new IllegalArgumentException(
                    where
                        + ": the field '"
                        + field
                        + "' belongs to a distributed Map,"
                        + " which this engine does not run");
              }
              if (!allowed.contains(field) && !field.equals("QueryLanguage")) {
                throw new IllegalArgumentException(
                    where + ": the field '" + field + "' is not supported by a " + type + " state");
              }
            });
    location = statePointer;
    switch (type) {
      case "Pass":
        return new State.Pass(
            name,
            transition(name, node),
            inputOutputPath(node, "InputPath", where),
            inputOutputPath(node, "OutputPath", where),
            template(node, "Parameters", where),
            node.get("Result"),
            resultPath(node, "ResultPath", where));
      case "Parallel":
        return parallel(name, node, where);
      case "Map":
        return map(name, node, where);
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
    boolean functionArn = LAMBDA_FUNCTION_ARN.matcher(arn).matches();
    TaskResource resource =
        functionArn
            ? TaskResource.LAMBDA_FUNCTION
            : Arrays.stream(TaskResource.values())
                .filter(candidate -> candidate.arn().equals(arn))
                .findFirst()
                .orElseThrow(
                    () ->
                        invalidAt(
                            "Resource",
                            where
                                + ": 'Resource' \""
                                + arn
                                + "\" is not supported; use a Lambda function ARN or one of "
                                + List.of(
                                    TaskResource.LAMBDA_INVOKE.arn(),
                                    TaskResource.LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN.arn())));
    JsonNode parameters = node.get("Parameters");
    if (!functionArn
        && (parameters == null
            || !parameters.isObject()
            || !(parameters.has("FunctionName") || parameters.has("FunctionName.$")))) {
      throw invalidAt(
          "Parameters",
          where + ": 'Parameters' must be an object with a 'FunctionName' for " + arn);
    }
    if (parameters != null) {
      location = scope + "/States/" + name + "/Parameters";
      PayloadTemplate.validate(parameters, location);
    }
    JsonNode resultSelector = template(node, "ResultSelector", where);
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
        functionArn ? arn : null,
        timeout,
        timeoutPath,
        heartbeat,
        heartbeatPath,
        retriers(node, where),
        catchers(name, node, where));
  }

  /** A payload template field: an object whose {@code .$} fields are valid. */
  private JsonNode template(JsonNode node, String field, String where) {
    JsonNode template = node.get(field);
    if (template == null) {
      return null;
    }
    String pointer = location + "/" + field;
    if (field.equals("ResultSelector") && !template.isObject()) {
      location = pointer;
      throw new IllegalArgumentException(where + ": '" + field + "' must be an object");
    }
    String before = location;
    location = pointer;
    PayloadTemplate.validate(template, pointer);
    location = before;
    return template;
  }

  private State.Parallel parallel(String name, JsonNode node, String where) {
    String statePointer = location;
    JsonNode branches = node.get("Branches");
    if (branches == null) {
      throw new IllegalArgumentException(where + ": These fields are required: [Branches]");
    }
    if (!branches.isArray() || branches.isEmpty()) {
      location = statePointer + "/Branches";
      throw new IllegalArgumentException("Value cannot be empty");
    }
    List<StateMachineDefinition> parsed = new ArrayList<>();
    for (int i = 0; i < branches.size(); i++) {
      JsonNode branch = branches.get(i);
      String pointer = statePointer + "/Branches[" + i + "]";
      if (!branch.isObject()) {
        location = pointer;
        throw new IllegalArgumentException(where + ": Branches[" + i + "] must be an object");
      }
      branch
          .fieldNames()
          .forEachRemaining(
              field -> {
                if (!PROCESSOR_FIELDS.contains(field) || field.equals("ProcessorConfig")) {
                  location = pointer + "/" + field;
                  throw new IllegalArgumentException(
                      where + ": the field '" + field + "' is not supported in a branch");
                }
              });
      parsed.add(machine(branch, pointer));
    }
    location = statePointer;
    this.statePointer = statePointer;
    return new State.Parallel(
        name,
        transition(name, node),
        inputOutputPath(node, "InputPath", where),
        inputOutputPath(node, "OutputPath", where),
        template(node, "Parameters", where),
        template(node, "ResultSelector", where),
        resultPath(node, "ResultPath", where),
        List.copyOf(parsed),
        retriers(node, where),
        catchers(name, node, where));
  }

  private State.MapState map(String name, JsonNode node, String where) {
    String statePointer = location;
    exclusive(node, where, "ItemProcessor", "Iterator");
    exclusive(node, where, "ItemSelector", "Parameters");
    exclusive(node, where, "MaxConcurrency", "MaxConcurrencyPath");
    exclusive(node, where, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
    exclusive(node, where, "ToleratedFailureCount", "ToleratedFailureCountPath");
    String processorField = node.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
    JsonNode processor = node.get(processorField);
    if (processor == null) {
      throw new IllegalArgumentException(where + ": These fields are required: [ItemProcessor]");
    }
    String pointer = statePointer + "/" + processorField;
    if (!processor.isObject()) {
      location = pointer;
      throw new IllegalArgumentException(where + ": '" + processorField + "' must be an object");
    }
    processor
        .fieldNames()
        .forEachRemaining(
            field -> {
              if (!PROCESSOR_FIELDS.contains(field)) {
                location = pointer + "/" + field;
                throw new IllegalArgumentException(
                    where + ": the field '" + field + "' is not supported in an " + processorField);
              }
            });
    JsonNode config = processor.get("ProcessorConfig");
    if (config != null) {
      JsonNode mode = config.get("Mode");
      if (mode != null && !"INLINE".equals(mode.asText())) {
        location = pointer + "/ProcessorConfig/Mode";
        throw new IllegalArgumentException(
            where + ": only the INLINE processor mode is supported, not " + mode);
      }
    }
    StateMachineDefinition parsed = machine(processor, pointer);
    location = statePointer;
    this.statePointer = statePointer;
    JsonNode itemSelector =
        node.has("ItemSelector")
            ? template(node, "ItemSelector", where)
            : template(node, "Parameters", where);
    Integer maxConcurrency = optionalSeconds(node, "MaxConcurrency", where, 0);
    JsonNode percentage = node.get("ToleratedFailurePercentage");
    if (percentage != null
        && (!percentage.isNumber()
            || percentage.doubleValue() < 0
            || percentage.doubleValue() > 100)) {
      location = statePointer + "/ToleratedFailurePercentage";
      throw new IllegalArgumentException(
          where + ": 'ToleratedFailurePercentage' must be a number from 0 to 100");
    }
    Integer count = optionalSeconds(node, "ToleratedFailureCount", where, 0);
    location = statePointer;
    return new State.MapState(
        name,
        transition(name, node),
        inputOutputPath(node, "InputPath", where),
        inputOutputPath(node, "OutputPath", where),
        node.has("ItemsPath") ? inputOutputPath(node, "ItemsPath", where) : null,
        itemSelector,
        template(node, "ResultSelector", where),
        resultPath(node, "ResultPath", where),
        parsed,
        maxConcurrency,
        optionalReferencePath(node, "MaxConcurrencyPath", where),
        percentage == null ? null : percentage.doubleValue(),
        optionalReferencePath(node, "ToleratedFailurePercentagePath", where),
        count,
        optionalReferencePath(node, "ToleratedFailureCountPath", where),
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

  private List<String> errorEquals(JsonNode node, String at, boolean last) {
    JsonNode errors = node.get("ErrorEquals");
    if (errors == null || !errors.isArray() || errors.isEmpty()) {
      throw invalidAt("ErrorEquals", at + ": 'ErrorEquals' must be a non-empty array");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode error : errors) {
      if (!error.isTextual() || error.textValue().isEmpty()) {
        throw invalidAt("ErrorEquals", at + ": 'ErrorEquals' must hold error names");
      }
      names.add(error.textValue());
    }
    if (names.contains(StatesErrors.ALL) && (names.size() > 1 || !last)) {
      throw invalidAt(
          "ErrorEquals",
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

  private Condition comparison(JsonNode rule, String field, JsonNode operand, String at) {
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

  private State.Fail fail(String name, JsonNode node, String where) {
    exclusive(node, where, "Error", "ErrorPath");
    exclusive(node, where, "Cause", "CausePath");
    return new State.Fail(
        name,
        optionalString(node, "Error", where),
        pathOrIntrinsic(node, "ErrorPath", where),
        optionalString(node, "Cause", where),
        pathOrIntrinsic(node, "CausePath", where));
  }

  /** ErrorPath and CausePath: a Reference Path, or an intrinsic function call. */
  private String pathOrIntrinsic(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    String before = location;
    location = location + "/" + field;
    if (value.isTextual() && IntrinsicFunctions.isCall(value.textValue())) {
      try {
        IntrinsicFunctions.parse(value.textValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where
                + ": the value for the field '"
                + field
                + "' must be a valid JSONPath or a valid intrinsic function call");
      }
    } else {
      referencePath(value, field, where);
    }
    location = before;
    return value.textValue();
  }

  private JsonNode objectWithFields(JsonNode node, String at, Set<String> allowed) {
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

  private void exclusive(JsonNode node, String where, String one, String other) {
    if (node.has(one) && node.has(other)) {
      throw invalidAt(other, where + ": must not have both '" + one + "' and '" + other + "'");
    }
  }

  private String requiredString(JsonNode node, String field, String where) {
    String value = optionalString(node, field, where);
    if (value == null) {
      throw invalidAt(field, where + ": '" + field + "' is required");
    }
    return value;
  }

  private String optionalString(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalidAt(field, where + ": '" + field + "' must be a string");
    }
    return value.textValue();
  }

  private Integer optionalSeconds(JsonNode node, String field, String where, int min) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber()
        || !value.canConvertToLong()
        || value.longValue() < min
        || value.longValue() > MAX_SECONDS) {
      throw invalidAt(
          field, where + ": '" + field + "' must be an integer from " + min + " to " + MAX_SECONDS);
    }
    return value.intValue();
  }

  /** InputPath and OutputPath: default {@code $}; JSON null selects nothing. */
  private JsonPath inputOutputPath(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      return JsonPath.ROOT;
    }
    if (value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalidAt(field, where + ": '" + field + "' must be a JSONPath or null");
    }
    try {
      return JsonPath.parse(value.textValue());
    } catch (IllegalArgumentException e) {
      throw invalidAt(field, where + ": '" + field + "': " + e.getMessage(), e);
    }
  }

  /** ResultPath: default {@code $}; JSON null discards the result. */
  private JsonPath resultPath(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      return JsonPath.ROOT;
    }
    if (value.isNull()) {
      return null;
    }
    JsonPath path = referencePath(value, field, where);
    if (path.isContext()) {
      throw invalidAt(
          field, where + ": '" + field + "' must be a path into the state's input, not '$$'");
    }
    return path;
  }

  private JsonPath optionalReferencePath(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    return value == null ? null : referencePath(value, field, where);
  }

  private JsonPath referencePath(JsonNode value, String field, String where) {
    if (!value.isTextual()) {
      throw invalidAt(field, where + ": '" + field + "' must be a Reference Path");
    }
    JsonPath path;
    try {
      path = JsonPath.parse(value.textValue());
    } catch (IllegalArgumentException e) {
      throw invalidAt(field, where + ": '" + field + "': " + e.getMessage(), e);
    }
    if (!path.isSupported()) {
      throw invalidAt(
          field,
          where
              + ": '"
              + field
              + "' must be a Reference Path, which cannot use "
              + path.unsupportedFeature());
    }
    return path;
  }
}
