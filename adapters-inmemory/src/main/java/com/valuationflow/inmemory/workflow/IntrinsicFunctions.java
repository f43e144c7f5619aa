package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The ASL intrinsic functions, all that Step Functions documents: {@code States.Format}, {@code
 * States.StringToJson}, {@code States.JsonToString}, {@code States.Array}, {@code
 * States.ArrayPartition}, {@code States.ArrayContains}, {@code States.ArrayRange}, {@code
 * States.ArrayGetItem}, {@code States.ArrayLength}, {@code States.ArrayUnique}, {@code
 * States.Base64Encode}, {@code States.Base64Decode}, {@code States.Hash}, {@code States.JsonMerge},
 * {@code States.MathRandom}, {@code States.MathAdd}, {@code States.StringSplit} and {@code
 * States.UUID}.
 *
 * <p>A call is parsed when the definition is created ({@link #parse}): one that does not parse or
 * names another function makes the definition invalid. A function that fails on its arguments
 * raises {@code States.IntrinsicFailure}.
 */
final class IntrinsicFunctions {

  private static final Pattern CALL = Pattern.compile("States\\.[A-Za-z0-9]+\\(.*", Pattern.DOTALL);
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  private static final Set<String> FUNCTIONS =
      Set.of(
          "States.Format",
          "States.StringToJson",
          "States.JsonToString",
          "States.Array",
          "States.ArrayPartition",
          "States.ArrayContains",
          "States.ArrayRange",
          "States.ArrayGetItem",
          "States.ArrayLength",
          "States.ArrayUnique",
          "States.Base64Encode",
          "States.Base64Decode",
          "States.Hash",
          "States.JsonMerge",
          "States.MathRandom",
          "States.MathAdd",
          "States.StringSplit",
          "States.UUID");
  private static final Map<String, String> HASH_ALGORITHMS =
      Map.of(
          "MD5", "MD5",
          "SHA-1", "SHA-1",
          "SHA-256", "SHA-256",
          "SHA-384", "SHA-384",
          "SHA-512", "SHA-512");
  private static final int MAX_ARRAY_RANGE = 1000;

  private IntrinsicFunctions() {}

  /** An argument or call, parsed. */
  sealed interface Expr permits Literal, PathRef, Call {}

  /** A literal; {@code raw} keeps a string literal's text with its escapes for States.Format. */
  record Literal(JsonNode value, String raw) implements Expr {}

  record PathRef(JsonPath path) implements Expr {}

  record Call(String name, List<Expr> args) implements Expr {}

  static boolean isCall(String text) {
    return CALL.matcher(text).matches();
  }

  /**
   * Parses a call.
   *
   * @throws IllegalArgumentException if the text is not a call of a known intrinsic function with
   *     valid arguments
   */
  static Call parse(String text) {
    Parser parser = new Parser(text);
    Call call = parser.call();
    parser.skipSpaces();
    if (!parser.atEnd()) {
      throw new IllegalArgumentException(
          "unexpected text after the call at position " + parser.pos);
    }
    return call;
  }

  /**
   * Parses and evaluates a call.
   *
   * @throws WorkflowError {@code States.Runtime} if the call does not parse, {@code
   *     States.IntrinsicFailure} if the function fails on its arguments
   */
  static JsonNode evaluate(String field, String text, JsonNode input, JsonNode context) {
    Call call;
    try {
      call = parse(text);
    } catch (IllegalArgumentException e) {
      throw PayloadTemplate.invalidExpression(field);
    }
    return evaluate(field, call, input, context);
  }

  static JsonNode evaluate(String field, Call call, JsonNode input, JsonNode context) {
    List<Arg> args = new ArrayList<>();
    for (Expr expr : call.args()) {
      args.add(argument(field, expr, input, context));
    }
    return apply(call.name(), args);
  }

  private static Arg argument(String field, Expr expr, JsonNode input, JsonNode context) {
    if (expr instanceof Literal literal) {
      return new Arg(literal.value(), literal.raw());
    }
    if (expr instanceof Call call) {
      return new Arg(evaluate(field, call, input, context), null);
    }
    JsonPath path = ((PathRef) expr).path();
    JsonNode data = path.isContext() ? context : input;
    JsonNode value =
        DataFlow.find(path, input, context)
            .orElseThrow(
                () ->
                    WorkflowError.runtime(
                        "The JSONPath '"
                            + path.text()
                            + "' specified for the field '"
                            + field
                            + "' could not be found in the input '"
                            + Json.write(data)
                            + "'"));
    return new Arg(value, null);
  }

  /** An evaluated argument; {@code raw} keeps a string literal's escapes for States.Format. */
  private record Arg(JsonNode value, String raw) {}

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    Call call() {
      skipSpaces();
      int open = text.indexOf('(', pos);
      String name = open < 0 ? "" : text.substring(pos, open).strip();
      if (!name.matches("States\\.[A-Za-z0-9]+")) {
        throw new IllegalArgumentException("expected an intrinsic function at position " + pos);
      }
      if (!FUNCTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown intrinsic function " + name);
      }
      pos = open + 1;
      List<Expr> args = new ArrayList<>();
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
            throw new IllegalArgumentException("expected ',' or ')' at position " + (pos - 1));
          }
        }
      }
      return new Call(name, List.copyOf(args));
    }

    private Expr argument() {
      skipSpaces();
      char c = peek();
      if (c == '\'') {
        return stringLiteral();
      }
      if (c == '$') {
        return new PathRef(path());
      }
      if (text.startsWith("States.", pos)) {
        return call();
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
        return new Literal(Json.parse(literal, "argument"), null);
      }
      throw new IllegalArgumentException("'" + literal + "' is not a valid argument");
    }

    private Literal stringLiteral() {
      StringBuilder value = new StringBuilder();
      int start = ++pos;
      while (!atEnd() && peek() != '\'') {
        if (peek() == '\\' && pos + 1 < text.length()) {
          pos++;
          value.append(text.charAt(pos++));
          continue;
        }
        value.append(text.charAt(pos++));
      }
      if (atEnd()) {
        throw new IllegalArgumentException("unterminated string literal");
      }
      String raw = text.substring(start, pos++);
      return new Literal(Json.NODES.textNode(value.toString()), raw);
    }

    private JsonPath path() {
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
        } else if (c == '[' || c == '(') {
          depth++;
        } else if (c == ']' || (c == ')' && depth > 0)) {
          depth--;
        } else if (depth == 0 && (c == ',' || c == ')' || c == ' ')) {
          break;
        }
        pos++;
      }
      return JsonPath.parse(text.substring(start, pos));
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
  }

  private static JsonNode apply(String name, List<Arg> args) {
    switch (name) {
      case "States.Format":
        return format(args);
      case "States.StringToJson":
        {
          arity(name, args, 1);
          String text = string(name, args, 0);
          if (text.isBlank()) {
            return Json.NODES.nullNode();
          }
          try {
            return Json.parse(text, "The argument of States.StringToJson");
          } catch (IllegalArgumentException e) {
            throw WorkflowError.intrinsicFailure(e.getMessage());
          }
        }
      case "States.JsonToString":
        arity(name, args, 1);
        return Json.NODES.textNode(Json.write(args.get(0).value()));
      case "States.Array":
        {
          ArrayNode array = Json.NODES.arrayNode();
          args.forEach(arg -> array.add(arg.value()));
          return array;
        }
      case "States.ArrayPartition":
        {
          arity(name, args, 2);
          ArrayNode items = array(name, args, 0);
          long size = integer(name, args, 1);
          if (size < 1) {
            throw WorkflowError.intrinsicFailure(
                "Chunk size must be greater than 0 but was " + size);
          }
          ArrayNode chunks = Json.NODES.arrayNode();
          ArrayNode chunk = null;
          for (int i = 0; i < items.size(); i++) {
            if (i % size == 0) {
              chunk = chunks.addArray();
            }
            chunk.add(items.get(i));
          }
          return chunks;
        }
      case "States.ArrayContains":
        {
          arity(name, args, 2);
          JsonNode wanted = args.get(1).value();
          for (JsonNode item : array(name, args, 0)) {
            if (item.equals(wanted)) {
              return Json.NODES.booleanNode(true);
            }
          }
          return Json.NODES.booleanNode(false);
        }
      case "States.ArrayRange":
        {
          arity(name, args, 3);
          long first = integer(name, args, 0);
          long last = integer(name, args, 1);
          long step = integer(name, args, 2);
          if (step == 0) {
            throw WorkflowError.intrinsicFailure("States.ArrayRange: the step must not be 0");
          }
          ArrayNode range = Json.NODES.arrayNode();
          for (long value = first; step > 0 ? value <= last : value >= last; value += step) {
            if (range.size() >= MAX_ARRAY_RANGE) {
              throw WorkflowError.intrinsicFailure(
                  "States.ArrayRange: the range must not have more than "
                      + MAX_ARRAY_RANGE
                      + " items");
            }
            range.add(number(BigInteger.valueOf(value)));
          }
          return range;
        }
      case "States.ArrayGetItem":
        {
          arity(name, args, 2);
          ArrayNode items = array(name, args, 0);
          long index = integer(name, args, 1);
          if (index < 0 || index >= items.size()) {
            throw WorkflowError.intrinsicFailure(
                "Index " + index + " is out of bounds for an array of " + items.size() + " items");
          }
          return items.get((int) index);
        }
      case "States.ArrayLength":
        arity(name, args, 1);
        return Json.NODES.numberNode(array(name, args, 0).size());
      case "States.ArrayUnique":
        {
          arity(name, args, 1);
          Set<JsonNode> seen = new LinkedHashSet<>();
          array(name, args, 0).forEach(seen::add);
          ArrayNode unique = Json.NODES.arrayNode();
          seen.forEach(unique::add);
          return unique;
        }
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
      case "States.JsonMerge":
        {
          arity(name, args, 3);
          JsonNode deep = args.get(2).value();
          if (!deep.isBoolean()) {
            throw WorkflowError.intrinsicFailure(name + ": argument 3 must be a boolean");
          }
          if (deep.booleanValue()) {
            throw WorkflowError.intrinsicFailure(
                name + ": deep merge is not supported; the third argument must be false");
          }
          ObjectNode merged = object(name, args, 0).deepCopy();
          object(name, args, 1).properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
          return merged;
        }
      case "States.MathRandom":
        {
          if (args.size() != 2 && args.size() != 3) {
            throw WorkflowError.intrinsicFailure(
                name + " takes 2 or 3 argument(s), got " + args.size());
          }
          long start = rounded(name, args, 0);
          long end = rounded(name, args, 1);
          if (end <= start) {
            throw WorkflowError.intrinsicFailure(name + ": the end must be greater than the start");
          }
          long bound = end - start;
          long value =
              args.size() == 3
                  ? Math.floorMod(new Random(rounded(name, args, 2)).nextLong(), bound)
                  : ThreadLocalRandom.current().nextLong(bound);
          return number(BigInteger.valueOf(start + value));
        }
      case "States.MathAdd":
        arity(name, args, 2);
        return number(
            BigInteger.valueOf(rounded(name, args, 0))
                .add(BigInteger.valueOf(rounded(name, args, 1))));
      case "States.StringSplit":
        arity(name, args, 2);
        return split(name, string(name, args, 0), string(name, args, 1));
      case "States.UUID":
        arity(name, args, 0);
        return Json.NODES.textNode(UUID.randomUUID().toString());
      default:
        throw new IllegalStateException("Unknown intrinsic function " + name);
    }
  }

  private static JsonNode number(BigInteger value) {
    return value.bitLength() < 32
        ? Json.NODES.numberNode(value.intValue())
        : value.bitLength() < 64
            ? Json.NODES.numberNode(value.longValue())
            : Json.NODES.numberNode(value);
  }

  private static JsonNode format(List<Arg> args) {
    if (args.isEmpty() || !args.get(0).value().isTextual()) {
      throw WorkflowError.intrinsicFailure(
          "States.Format: the first argument must be a string template");
    }
    Arg first = args.get(0);
    boolean literal = first.raw() != null;
    String template = literal ? first.raw() : first.value().textValue();
    StringBuilder out = new StringBuilder();
    int next = 1;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (literal && c == '\\' && i + 1 < template.length()) {
        out.append(template.charAt(++i));
      } else if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
        if (next >= args.size()) {
          throw WorkflowError.intrinsicFailure(
              "Number of arguments in the format string does not match the number of arguments"
                  + " provided");
        }
        out.append(render(args.get(next++).value()));
        i++;
      } else {
        out.append(c);
      }
    }
    if (next != args.size()) {
      throw WorkflowError.intrinsicFailure(
          "Number of arguments in the format string does not match the number of arguments"
              + " provided");
    }
    return Json.NODES.textNode(out.toString());
  }

  /** An argument as States.Format prints it: objects and arrays as Java prints maps and lists. */
  private static String render(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isObject()) {
      StringBuilder out = new StringBuilder("{");
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.append(field.getKey()).append('=').append(render(field.getValue()));
        if (fields.hasNext()) {
          out.append(", ");
        }
      }
      return out.append('}').toString();
    }
    if (value.isArray()) {
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < value.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        out.append(render(value.get(i)));
      }
      return out.append(']').toString();
    }
    return Json.write(value);
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

  private static ObjectNode object(String name, List<Arg> args, int index) {
    JsonNode value = args.get(index).value();
    if (!(value instanceof ObjectNode object)) {
      throw WorkflowError.intrinsicFailure(
          name + ": argument " + (index + 1) + " must be an object");
    }
    return object;
  }

  private static long integer(String name, List<Arg> args, int index) {
    JsonNode value = args.get(index).value();
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw WorkflowError.intrinsicFailure(
          name + ": argument " + (index + 1) + " must be an integer");
    }
    return value.longValue();
  }

  /** A number rounded to an integer half up (towards positive infinity), as Step Functions does. */
  private static long rounded(String name, List<Arg> args, int index) {
    JsonNode value = args.get(index).value();
    if (!value.isNumber()) {
      throw WorkflowError.intrinsicFailure(
          name + ": argument " + (index + 1) + " must be a number");
    }
    BigDecimal rounded =
        value.decimalValue().add(new BigDecimal("0.5")).setScale(0, RoundingMode.FLOOR);
    try {
      return rounded.longValueExact();
    } catch (ArithmeticException e) {
      throw WorkflowError.intrinsicFailure(name + ": argument " + (index + 1) + " is out of range");
    }
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
