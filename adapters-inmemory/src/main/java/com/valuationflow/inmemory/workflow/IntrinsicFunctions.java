package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The ASL intrinsic functions this engine supports: {@code States.Format}, {@code
 * States.StringToJson}, {@code States.JsonToString}, {@code States.Array}, {@code
 * States.ArrayLength}, {@code States.ArrayGetItem}, {@code States.ArrayContains}, {@code
 * States.StringSplit}, {@code States.MathAdd}, {@code States.Base64Encode}, {@code
 * States.Base64Decode}, {@code States.Hash} and {@code States.UUID}.
 *
 * <p>A call that does not parse, or names another function, is a {@code States.Runtime} error; a
 * function that fails on its arguments raises {@code States.IntrinsicFailure}.
 */
final class IntrinsicFunctions {

  private static final Pattern CALL = Pattern.compile("States\\.[A-Za-z0-9]+\\(.*", Pattern.DOTALL);
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  private static final Map<String, String> HASH_ALGORITHMS =
      Map.of(
          "MD5", "MD5",
          "SHA-1", "SHA-1",
          "SHA-256", "SHA-256",
          "SHA-384", "SHA-384",
          "SHA-512", "SHA-512");

  private IntrinsicFunctions() {}

  static boolean isCall(String text) {
    return CALL.matcher(text).matches();
  }

  static JsonNode evaluate(String field, String text, JsonNode input, JsonNode context) {
    Parser parser = new Parser(field, text, input, context);
    JsonNode result = parser.call();
    parser.skipSpaces();
    if (!parser.atEnd()) {
      throw PayloadTemplate.invalidExpression(field);
    }
    return result;
  }

  /** An evaluated argument; {@code raw} keeps a string literal's escapes for States.Format. */
  private record Arg(JsonNode value, String raw) {}

  private static final class Parser {
    private final String field;
    private final String text;
    private final JsonNode input;
    private final JsonNode context;
    private int pos;

    Parser(String field, String text, JsonNode input, JsonNode context) {
      this.field = field;
      this.text = text;
      this.input = input;
      this.context = context;
    }

    JsonNode call() {
      int open = text.indexOf('(', pos);
      String name = open < 0 ? "" : text.substring(pos, open).strip();
      if (!name.matches("States\\.[A-Za-z0-9]+")) {
        throw PayloadTemplate.invalidExpression(field);
      }
      pos = open + 1;
      List<Arg> args = new ArrayList<>();
      skipSpaces();
      if (peek() == ')') {
        pos++;
      } else {
        while (true) {
          args.add(argument());
          skipSpaces();
          char c = peek();
          pos++;
          if (c == ')') {
            break;
          }
          if (c != ',') {
            throw PayloadTemplate.invalidExpression(field);
          }
        }
      }
      return apply(name, args);
    }

    private Arg argument() {
      skipSpaces();
      char c = peek();
      if (c == '\'') {
        return stringLiteral();
      }
      if (c == '$') {
        return new Arg(path(), null);
      }
      if (text.startsWith("States.", pos)) {
        return new Arg(call(), null);
      }
      int start = pos;
      while (!atEnd() && ",) ".indexOf(peek()) < 0) {
        pos++;
      }
      String literal = text.substring(start, pos);
      if (literal.equals("true")
          || literal.equals("false")
          || literal.equals("null")
          || NUMBER.matcher(literal).matches()) {
        return new Arg(Json.parse(literal, "argument"), null);
      }
      throw PayloadTemplate.invalidExpression(field);
    }

    private Arg stringLiteral() {
      StringBuilder value = new StringBuilder();
      int start = ++pos;
      while (!atEnd() && peek() != '\'') {
        if (peek() == '\\' && pos + 1 < text.length()) {
          pos++;
        }
        value.append(text.charAt(pos++));
      }
      if (atEnd()) {
        throw PayloadTemplate.invalidExpression(field);
      }
      String raw = text.substring(start, pos++);
      return new Arg(Json.NODES.textNode(value.toString()), raw);
    }

    private JsonNode path() {
      int start = pos;
      int depth = 0;
      char quote = 0;
      while (!atEnd()) {
        char c = peek();
        if (quote != 0) {
          if (c == '\\') {
            pos++;
          } else if (c == quote) {
            quote = 0;
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '[') {
          depth++;
        } else if (c == ']') {
          depth--;
        } else if (depth == 0 && (c == ',' || c == ')' || c == ' ')) {
          break;
        }
        pos++;
      }
      JsonPath path = PayloadTemplate.parsePath(field, text.substring(start, pos));
      return DataFlow.find(path, input, context)
          .orElseThrow(
              () ->
                  WorkflowError.runtime(
                      "The JSONPath '"
                          + path.text()
                          + "' in the intrinsic function of the field '"
                          + field
                          + "' could not be found"));
    }

    void skipSpaces() {
      while (!atEnd() && Character.isWhitespace(peek())) {
        pos++;
      }
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    private char peek() {
      return atEnd() ? 0 : text.charAt(pos);
    }

    private JsonNode apply(String name, List<Arg> args) {
      switch (name) {
        case "States.Format":
          return format(args);
        case "States.StringToJson":
          arity(name, args, 1);
          try {
            return Json.parse(string(name, args, 0), "The argument of States.StringToJson");
          } catch (IllegalArgumentException e) {
            throw WorkflowError.intrinsicFailure(e.getMessage());
          }
        case "States.JsonToString":
          arity(name, args, 1);
          return Json.NODES.textNode(Json.write(args.get(0).value()));
        case "States.Array":
          ArrayNode array = Json.NODES.arrayNode();
          args.forEach(arg -> array.add(arg.value()));
          return array;
        case "States.ArrayLength":
          arity(name, args, 1);
          return Json.NODES.numberNode(array(name, args, 0).size());
        case "States.ArrayGetItem":
          arity(name, args, 2);
          ArrayNode items = array(name, args, 0);
          long index = integer(name, args, 1);
          if (index < 0 || index >= items.size()) {
            throw WorkflowError.intrinsicFailure(
                name + ": index " + index + " is out of bounds for " + items.size() + " items");
          }
          return items.get((int) index);
        case "States.ArrayContains":
          arity(name, args, 2);
          JsonNode wanted = args.get(1).value();
          for (JsonNode item : array(name, args, 0)) {
            if (item.equals(wanted)) {
              return Json.NODES.booleanNode(true);
            }
          }
          return Json.NODES.booleanNode(false);
        case "States.StringSplit":
          arity(name, args, 2);
          return split(name, string(name, args, 0), string(name, args, 1));
        case "States.MathAdd":
          arity(name, args, 2);
          BigInteger sum =
              BigInteger.valueOf(integer(name, args, 0))
                  .add(BigInteger.valueOf(integer(name, args, 1)));
          return sum.bitLength() < 32
              ? Json.NODES.numberNode(sum.intValue())
              : sum.bitLength() < 64
                  ? Json.NODES.numberNode(sum.longValue())
                  : Json.NODES.numberNode(sum);
        case "States.Base64Encode":
          arity(name, args, 1);
          return Json.NODES.textNode(
              Base64.getEncoder()
                  .encodeToString(string(name, args, 0).getBytes(StandardCharsets.UTF_8)));
        case "States.Base64Decode":
          arity(name, args, 1);
          try {
            return Json.NODES.textNode(
                new String(
                    Base64.getDecoder().decode(string(name, args, 0)), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            throw WorkflowError.intrinsicFailure(name + ": the argument is not Base64");
          }
        case "States.Hash":
          arity(name, args, 2);
          return Json.NODES.textNode(hash(name, string(name, args, 0), string(name, args, 1)));
        case "States.UUID":
          arity(name, args, 0);
          return Json.NODES.textNode(UUID.randomUUID().toString());
        default:
          throw PayloadTemplate.invalidExpression(field);
      }
    }

    private JsonNode format(List<Arg> args) {
      if (args.isEmpty() || args.get(0).raw() == null) {
        throw WorkflowError.intrinsicFailure(
            "States.Format: the first argument must be a string literal template");
      }
      String template = args.get(0).raw();
      StringBuilder out = new StringBuilder();
      int next = 1;
      for (int i = 0; i < template.length(); i++) {
        char c = template.charAt(i);
        if (c == '\\' && i + 1 < template.length()) {
          out.append(template.charAt(++i));
        } else if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
          if (next >= args.size()) {
            throw WorkflowError.intrinsicFailure(
                "States.Format: the template has more '{}' than there are arguments");
          }
          JsonNode value = args.get(next++).value();
          if (value.isContainerNode()) {
            throw WorkflowError.intrinsicFailure(
                "States.Format: arguments must be strings, numbers, booleans or null");
          }
          out.append(value.isTextual() ? value.textValue() : Json.write(value));
          i++;
        } else {
          out.append(c);
        }
      }
      if (next != args.size()) {
        throw WorkflowError.intrinsicFailure(
            "States.Format: there are more arguments than '{}' in the template");
      }
      return Json.NODES.textNode(out.toString());
    }

    private static ArrayNode split(String name, String text, String delimiters) {
      if (delimiters.isEmpty()) {
        throw WorkflowError.intrinsicFailure(name + ": the delimiters must not be empty");
      }
      ArrayNode parts = Json.NODES.arrayNode();
      int start = 0;
      for (int i = 0; i <= text.length(); i++) {
        if (i == text.length() || delimiters.indexOf(text.charAt(i)) >= 0) {
          if (i > start) {
            parts.add(text.substring(start, i));
          }
          start = i + 1;
        }
      }
      return parts;
    }

    private static void arity(String name, List<Arg> args, int expected) {
      if (args.size() != expected) {
        throw WorkflowError.intrinsicFailure(
            name + " takes " + expected + " argument(s), got " + args.size());
      }
    }

    private static String string(String name, List<Arg> args, int index) {
      JsonNode value = args.get(index).value();
      if (!value.isTextual()) {
        throw WorkflowError.intrinsicFailure(
            name + ": argument " + (index + 1) + " must be a string");
      }
      return value.textValue();
    }

    private static ArrayNode array(String name, List<Arg> args, int index) {
      JsonNode value = args.get(index).value();
      if (!(value instanceof ArrayNode array)) {
        throw WorkflowError.intrinsicFailure(
            name + ": argument " + (index + 1) + " must be an array");
      }
      return array;
    }

    private static long integer(String name, List<Arg> args, int index) {
      JsonNode value = args.get(index).value();
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw WorkflowError.intrinsicFailure(
            name + ": argument " + (index + 1) + " must be an integer");
      }
      return value.longValue();
    }

    private static String hash(String name, String data, String algorithm) {
      String javaName = HASH_ALGORITHMS.get(algorithm);
      if (javaName == null) {
        throw WorkflowError.intrinsicFailure(
            name + ": the algorithm must be one of " + HASH_ALGORITHMS.keySet());
      }
      try {
        return HexFormat.of()
            .formatHex(
                MessageDigest.getInstance(javaName).digest(data.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(javaName + " is required of every JDK", e);
      }
    }
  }
}
