package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Resolves an ASL payload template ({@code Parameters}, {@code ResultSelector}): every field whose
 * name ends in {@code .$}, however deeply nested, is renamed without the suffix and its value, a
 * path or an intrinsic function call, is replaced by what it evaluates to.
 */
final class PayloadTemplate {

  private static final String SUFFIX = ".$";

  private PayloadTemplate() {}

  /**
   * @throws WorkflowError {@code States.Runtime} for a bad or unmatched path, {@code
   *     States.IntrinsicFailure} for an intrinsic function that fails on its arguments
   */
  static JsonNode resolve(JsonNode template, JsonNode input, JsonNode context) {
    if (template.isObject()) {
      ObjectNode out = Json.object();
      for (Map.Entry<String, JsonNode> field : template.properties()) {
        String key = field.getKey();
        String name;
        JsonNode value;
        if (key.endsWith(SUFFIX) && key.length() > SUFFIX.length()) {
          name = key.substring(0, key.length() - SUFFIX.length());
          value = evaluate(key, field.getValue(), input, context);
        } else {
          name = key;
          value = resolve(field.getValue(), input, context);
        }
        if (out.has(name)) {
          throw WorkflowError.runtime(
              "The field '" + name + "' appears twice in the payload template");
        }
        out.set(name, value);
      }
      return out;
    }
    if (template.isArray()) {
      ArrayNode out = Json.NODES.arrayNode(template.size());
      template.forEach(element -> out.add(resolve(element, input, context)));
      return out;
    }
    return template.deepCopy();
  }

  private static JsonNode evaluate(
      String field, JsonNode expression, JsonNode input, JsonNode context) {
    String text = expression.isTextual() ? expression.textValue() : null;
    if (text != null && IntrinsicFunctions.isCall(text)) {
      return IntrinsicFunctions.evaluate(field, text, input, context);
    }
    JsonPath path = parsePath(field, text);
    return DataFlow.find(path, input, context)
        .orElseThrow(
            () ->
                WorkflowError.runtime(
                    "The JSONPath '"
                        + path.text()
                        + "' specified for the field '"
                        + field
                        + "' could not be found in the input '"
                        + Json.write(input)
                        + "'"));
  }

  /**
   * Checks a template as Step Functions does when a definition is created: every {@code .$} field
   * holds a string that is a JSONPath or an intrinsic function call of a known function, and no
   * field appears twice once the suffix is removed.
   *
   * @param where the template's location, such as {@code /States/A/Parameters}
   * @throws InvalidDefinitionException naming the field and its location
   */
  static void validate(JsonNode template, String where) {
    if (template.isObject()) {
      java.util.Set<String> names = new java.util.HashSet<>();
      for (Map.Entry<String, JsonNode> field : template.properties()) {
        String key = field.getKey();
        JsonNode value = field.getValue();
        String name = key;
        if (key.endsWith(SUFFIX) && key.length() > SUFFIX.length()) {
          name = key.substring(0, key.length() - SUFFIX.length());
          if (!value.isTextual()) {
            throw new InvalidDefinitionException(
                "SCHEMA_VALIDATION_FAILED",
                "The value for the field '"
                    + key
                    + "' must be a STRING that contains a JSONPath but was "
                    + typeName(value),
                where);
          }
          String text = value.textValue();
          try {
            if (IntrinsicFunctions.isCall(text)) {
              IntrinsicFunctions.parse(text);
            } else {
              JsonPath.parse(text);
            }
          } catch (IllegalArgumentException e) {
            throw new InvalidDefinitionException(
                "SCHEMA_VALIDATION_FAILED",
                "The value for the field '"
                    + key
                    + "' must be a valid JSONPath or a valid intrinsic function call",
                where);
          }
        } else {
          validate(value, where + "/" + key);
        }
        if (!names.add(name)) {
          throw new InvalidDefinitionException(
              "SCHEMA_VALIDATION_FAILED",
              "The field '" + name + "' is defined more than once",
              where);
        }
      }
    } else if (template.isArray()) {
      for (int i = 0; i < template.size(); i++) {
        validate(template.get(i), where + "[" + i + "]");
      }
    }
  }

  private static String typeName(JsonNode value) {
    if (value.isObject()) {
      return "an OBJECT";
    }
    if (value.isArray()) {
      return "an ARRAY";
    }
    if (value.isIntegralNumber()) {
      return "an INTEGER";
    }
    if (value.isNumber()) {
      return "a NUMBER";
    }
    if (value.isBoolean()) {
      return "a BOOLEAN";
    }
    return "NULL";
  }

  static JsonPath parsePath(String field, String text) {
    try {
      return JsonPath.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalidExpression(field);
    }
  }

  static WorkflowError invalidExpression(String field) {
    return WorkflowError.runtime(
        "The value for the field '"
            + field
            + "' must be a valid JSONPath or a valid intrinsic function call");
  }
}
