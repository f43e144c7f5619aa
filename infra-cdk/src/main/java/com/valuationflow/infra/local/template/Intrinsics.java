package com.valuationflow.infra.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudFormation's intrinsic functions and pseudo parameters, resolved against the local
 * deployment's resources: {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Join}, {@code Fn::Sub},
 * {@code Fn::Select}, {@code Fn::Split}, {@code Fn::ImportValue} and {@code Fn::Base64}. Anything
 * else is refused with a message naming it, rather than deployed wrongly.
 */
public final class Intrinsics {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]+)}");

  /** The resources' values: what {@code Ref} and {@code Fn::GetAtt} give for a logical id. */
  public interface References {

    /** What {@code Ref} gives for the resource. */
    String ref(String logicalId);

    /** What {@code Fn::GetAtt} gives for one of the resource's attributes. */
    String attribute(String logicalId, String attribute);
  }

  private final Map<String, String> pseudoParameters;
  private final References references;
  private final Map<String, String> exports;

  /**
   * @param pseudoParameters {@code AWS::Region}, {@code AWS::AccountId}, ... and their values
   * @param references the stack's resources
   * @param exports the values earlier stacks exported, by export name
   */
  public Intrinsics(
      Map<String, String> pseudoParameters, References references, Map<String, String> exports) {
    this.pseudoParameters = Map.copyOf(pseudoParameters);
    this.references = Objects.requireNonNull(references, "'references' must not be null");
    this.exports = Objects.requireNonNull(exports, "'exports' must not be null");
  }

  /** The value with every intrinsic function in it resolved. */
  public JsonNode resolve(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return value;
    }
    if (value.isArray()) {
      ArrayNode resolved = NODES.arrayNode();
      value.forEach(item -> resolved.add(resolve(item)));
      return resolved;
    }
    if (!value.isObject()) {
      return value;
    }
    if (value.size() == 1) {
      String key = value.fieldNames().next();
      if (key.equals("Ref") || key.startsWith("Fn::")) {
        return function(key, value.get(key));
      }
    }
    ObjectNode resolved = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      resolved.set(field.getKey(), resolve(field.getValue()));
    }
    return resolved;
  }

  /** The value resolved to text, as a string property needs it. */
  public String text(JsonNode value) {
    JsonNode resolved = resolve(value);
    if (resolved == null || resolved.isMissingNode() || resolved.isNull()) {
      return null;
    }
    if (resolved.isContainerNode()) {
      throw new IllegalArgumentException("Expected a string, got " + resolved);
    }
    return resolved.asText();
  }

  private JsonNode function(String name, JsonNode argument) {
    return switch (name) {
      case "Ref" -> TextNode.valueOf(ref(argument.asText()));
      case "Fn::GetAtt" -> TextNode.valueOf(getAtt(argument));
      case "Fn::Join" -> TextNode.valueOf(join(argument));
      case "Fn::Sub" -> TextNode.valueOf(sub(argument));
      case "Fn::Select" -> select(argument);
      case "Fn::Split" -> split(argument);
      case "Fn::ImportValue" -> TextNode.valueOf(importValue(text(argument)));
      case "Fn::Base64" ->
          TextNode.valueOf(
              Base64.getEncoder().encodeToString(text(argument).getBytes(StandardCharsets.UTF_8)));
      default ->
          throw new IllegalArgumentException(
              "The local deployment does not support the intrinsic function " + name);
    };
  }

  private String ref(String name) {
    String pseudo = pseudoParameters.get(name);
    if (pseudo != null) {
      return pseudo;
    }
    if (name.startsWith("AWS::")) {
      throw new IllegalArgumentException("Unknown pseudo parameter " + name);
    }
    return references.ref(name);
  }

  private String getAtt(JsonNode argument) {
    if (argument.isTextual()) {
      String[] parts = argument.asText().split("\\.", 2);
      return references.attribute(parts[0], parts[1]);
    }
    return references.attribute(argument.get(0).asText(), text(argument.get(1)));
  }

  private String join(JsonNode argument) {
    String delimiter = argument.get(0).asText();
    List<String> parts = new ArrayList<>();
    resolve(argument.get(1)).forEach(part -> parts.add(part.asText()));
    return String.join(delimiter, parts);
  }

  private String sub(JsonNode argument) {
    String template = argument.isArray() ? argument.get(0).asText() : argument.asText();
    JsonNode variables = argument.isArray() ? argument.get(1) : NODES.objectNode();
    Matcher matcher = SUB_VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement;
      String variable = matcher.group(2);
      if (!matcher.group(1).isEmpty()) {
        replacement = "${" + variable + "}";
      } else if (variables.has(variable)) {
        replacement = text(variables.get(variable));
      } else if (variable.contains(".")) {
        String[] parts = variable.split("\\.", 2);
        replacement = references.attribute(parts[0], parts[1]);
      } else {
        replacement = ref(variable);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private JsonNode select(JsonNode argument) {
    int index = Integer.parseInt(text(argument.get(0)));
    JsonNode list = resolve(argument.get(1));
    if (!list.isArray() || index < 0 || index >= list.size()) {
      throw new IllegalArgumentException("Fn::Select index " + index + " is out of " + list);
    }
    return list.get(index);
  }

  private JsonNode split(JsonNode argument) {
    String delimiter = argument.get(0).asText();
    ArrayNode parts = NODES.arrayNode();
    for (String part : text(argument.get(1)).split(Pattern.quote(delimiter), -1)) {
      parts.add(part);
    }
    return parts;
  }

  private String importValue(String exportName) {
    String value = exports.get(exportName);
    if (value == null) {
      throw new IllegalArgumentException(
          "No stack exports '" + exportName + "': deploy the exporting stack first");
    }
    return value;
  }
}
