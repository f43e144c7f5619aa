package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subset of JSONPath that ASL Reference Paths use: {@code $} (the input) or {@code $$} (the
 * context object), followed by {@code .member}, {@code ['member']} and {@code [index]} steps.
 *
 * <p>Other JSONPath syntax (wildcards, {@code ..}, filters, slices, unions, functions) parses as an
 * <em>unsupported</em> path, which fails when used; text that is not JSONPath at all is rejected by
 * {@link #parse}.
 */
final class JsonPath {

  static final JsonPath ROOT = parse("$");

  private final String text;
  private final boolean context;
  private final List<Object> steps;
  private final String unsupported;

  private JsonPath(String text, boolean context, List<Object> steps, String unsupported) {
    this.text = text;
    this.context = context;
    this.steps = List.copyOf(steps);
    this.unsupported = unsupported;
  }

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException if the text is not a JSONPath
   */
  static JsonPath parse(String text) {
    if (text == null || !text.startsWith("$")) {
      throw invalid(text, "it must start with '$'");
    }
    boolean context = text.startsWith("$$");
    List<Object> steps = new ArrayList<>();
    int i = context ? 2 : 1;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '.') {
        if (i + 1 < n && text.charAt(i + 1) == '.') {
          return new JsonPath(text, context, steps, "recursive descent '..'");
        }
        int end = i + 1;
        while (end < n && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        String name = text.substring(i + 1, end);
        if (name.isEmpty()) {
          throw invalid(text, "a member name is missing after '.'");
        }
        if (name.indexOf(']') >= 0) {
          throw invalid(text, "unbalanced ']'");
        }
        if (name.contains("*") || name.contains("?") || name.contains("@")) {
          return new JsonPath(text, context, steps, "wildcard or filter '" + name + "'");
        }
        if (name.endsWith(")")) {
          return new JsonPath(text, context, steps, "function '" + name + "'");
        }
        steps.add(name);
        i = end;
      } else if (c == '[') {
        if (i + 1 < n && (text.charAt(i + 1) == '\'' || text.charAt(i + 1) == '"')) {
          char quote = text.charAt(i + 1);
          StringBuilder name = new StringBuilder();
          int j = i + 2;
          while (j < n && text.charAt(j) != quote) {
            if (text.charAt(j) == '\\' && j + 1 < n) {
              j++;
            }
            name.append(text.charAt(j));
            j++;
          }
          if (j >= n) {
            throw invalid(text, "unterminated quoted member name");
          }
          if (j + 1 < n && text.charAt(j + 1) == ',') {
            return new JsonPath(text, context, steps, "union");
          }
          if (j + 1 >= n || text.charAt(j + 1) != ']') {
            throw invalid(text, "expected ']' after a quoted member name");
          }
          steps.add(name.toString());
          i = j + 2;
        } else {
          int close = text.indexOf(']', i);
          if (close < 0) {
            throw invalid(text, "unbalanced '['");
          }
          String inside = text.substring(i + 1, close).strip();
          if (inside.matches("[0-9]{1,9}")) {
            steps.add(Integer.valueOf(inside));
          } else if (inside.matches("\\*|\\?.*|-[0-9]+|.*[:,].*|@.*|\\(.*")) {
            return new JsonPath(text, context, steps, "'[" + inside + "]'");
          } else {
            throw invalid(text, "'[" + inside + "]' is neither an index nor a quoted member name");
          }
          i = close + 1;
        }
      } else {
        throw invalid(text, "unexpected '" + c + "' at position " + i);
      }
    }
    return new JsonPath(text, context, steps, null);
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("'" + text + "' is not a valid JSONPath: " + why);
  }

  String text() {
    return text;
  }

  /** Whether the path starts at the context object ({@code $$}) rather than the input. */
  boolean isContext() {
    return context;
  }

  /** Whether this engine can evaluate the path. */
  boolean isSupported() {
    return unsupported == null;
  }

  /** The JSONPath feature this engine cannot evaluate, or null. */
  String unsupportedFeature() {
    return unsupported;
  }

  /**
   * The node the path selects.
   *
   * @throws UnsupportedOperationException if the path is not {@linkplain #isSupported supported}
   */
  Optional<JsonNode> find(JsonNode root) {
    requireSupported();
    JsonNode node = root;
    for (Object step : steps) {
      if (step instanceof String name) {
        node = node.isObject() ? node.get(name) : null;
      } else {
        int index = (Integer) step;
        node = node.isArray() && index < node.size() ? node.get(index) : null;
      }
      if (node == null) {
        return Optional.empty();
      }
    }
    return Optional.of(node);
  }

  /**
   * A copy of {@code root} with {@code value} at this path, creating missing intermediate objects,
   * as {@code ResultPath} does.
   *
   * @throws IllegalArgumentException if an existing node along the way is not a container the path
   *     can go through
   */
  JsonNode set(JsonNode root, JsonNode value) {
    requireSupported();
    if (steps.isEmpty()) {
      return value;
    }
    JsonNode copy = root.deepCopy();
    JsonNode node = copy;
    for (int i = 0; i < steps.size(); i++) {
      Object step = steps.get(i);
      boolean last = i == steps.size() - 1;
      if (step instanceof String name) {
        if (!(node instanceof ObjectNode object)) {
          throw new IllegalArgumentException(describePrefix(i) + " is not an object");
        }
        if (last) {
          object.set(name, value);
        } else {
          JsonNode child = object.get(name);
          if (child == null) {
            child = object.putObject(name);
          } else if (!child.isContainerNode()) {
            throw new IllegalArgumentException(describePrefix(i + 1) + " is not an object");
          }
          node = child;
        }
      } else {
        int index = (Integer) step;
        if (!(node instanceof ArrayNode array) || index >= array.size()) {
          throw new IllegalArgumentException(describePrefix(i + 1) + " does not exist");
        }
        if (last) {
          array.set(index, value);
        } else {
          node = array.get(index);
        }
      }
    }
    return copy;
  }

  /** The path in bracket notation, as Jayway JSONPath and so AWS report it. */
  String normalized() {
    StringBuilder out = new StringBuilder(context ? "$$" : "$");
    appendSteps(out, steps.size());
    return out.toString();
  }

  private String describePrefix(int stepCount) {
    StringBuilder out = new StringBuilder(context ? "$$" : "$");
    appendSteps(out, stepCount);
    return "'" + out + "'";
  }

  private void appendSteps(StringBuilder out, int count) {
    for (Object step : steps.subList(0, Math.min(count, steps.size()))) {
      if (step instanceof String name) {
        out.append("['").append(name.replace("\\", "\\\\").replace("'", "\\'")).append("']");
      } else {
        out.append('[').append(step).append(']');
      }
    }
  }

  private void requireSupported() {
    if (unsupported != null) {
      throw new UnsupportedOperationException(
          "The JSONPath '"
              + text
              + "' uses "
              + unsupported
              + ", which this engine does not support");
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
