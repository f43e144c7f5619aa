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
                        + "' could not be found in the "
                        + (path.isContext()
                            ? "context object"
                            : "input '" + Json.write(input) + "'")));
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
