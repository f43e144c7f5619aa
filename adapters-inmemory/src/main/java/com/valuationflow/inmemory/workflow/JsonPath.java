package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * JSONPath as Step Functions evaluates it (Jayway's dialect): {@code $} (the input) or {@code $$}
 * (the context object), followed by {@code .member}, {@code ['member']}, {@code [index]} (negative
 * from the end), wildcards {@code .*} and {@code [*]}, slices {@code [start:end:step]}, unions
 * {@code ['a','b']} and {@code [0,2]}, recursive descent {@code ..} and filters {@code [?(@.a >=
 * 5)]}.
 *
 * <p>A path made only of members and indexes is <em>definite</em>: it selects at most one node, and
 * is what ASL calls a Reference Path. Any other path selects a list, which it yields as a JSON
 * array. Functions such as {@code .length()} are not allowed, as in Step Functions.
 */
final class JsonPath {

  static final JsonPath ROOT = parse("$");

  private final String text;
  private final boolean context;
  private final List<Step> steps;

  private JsonPath(String text, boolean context, List<Step> steps) {
    this.text = text;
    this.context = context;
    this.steps = List.copyOf(steps);
  }

  /** One step of a path. */
  private sealed interface Step {
    default boolean definite() {
      return false;
    }
  }

  private record Member(String name) implements Step {
    @Override
    public boolean definite() {
      return true;
    }
  }

  private record Index(int index) implements Step {
    @Override
    public boolean definite() {
      return true;
    }
  }

  private record Wildcard() implements Step {}

  private record Slice(Integer start, Integer end, Integer step) implements Step {}

  private record Union(List<Object> keys) implements Step {}

  private record Descent(Step inner) implements Step {}

  private record Filter(FilterExpr expr) implements Step {}

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException if the text is not a JSONPath this engine evaluates
   */
  static JsonPath parse(String text) {
    if (text == null || !text.startsWith("$")) {
      throw invalid(text, "it must start with '$'");
    }
    boolean context = text.startsWith("$$");
    Scanner scanner = new Scanner(text, context ? 2 : 1);
    List<Step> steps = new ArrayList<>();
    while (!scanner.atEnd()) {
      steps.add(scanner.step());
    }
    return new JsonPath(text, context, steps);
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

  /** Whether the path selects at most one node: only members and indexes. */
  boolean isDefinite() {
    return steps.stream().allMatch(Step::definite);
  }

  /** Whether the path is a Reference Path, as ResultPath and the {@code ...Path} fields need. */
  boolean isSupported() {
    return isDefinite();
  }

  /** What keeps the path from being a Reference Path, or null. */
  String unsupportedFeature() {
    return steps.stream()
        .filter(step -> !step.definite())
        .findFirst()
        .map(JsonPath::describe)
        .orElse(null);
  }

  private static String describe(Step step) {
    if (step instanceof Wildcard) {
      return "a wildcard";
    }
    if (step instanceof Slice) {
      return "a slice";
    }
    if (step instanceof Union) {
      return "a union";
    }
    if (step instanceof Descent) {
      return "recursive descent '..'";
    }
    return "a filter";
  }

  /**
   * The node the path selects: for a definite path the node, if there is one; for any other path
   * the array of every node it matches, possibly empty.
   */
  Optional<JsonNode> find(JsonNode root) {
    if (isDefinite()) {
      JsonNode node = root;
      for (Step step : steps) {
        node = definiteChild(node, step);
        if (node == null) {
          return Optional.empty();
        }
      }
      return Optional.of(node);
    }
    List<JsonNode> current = List.of(root);
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        apply(step, node, root, next);
      }
      current = next;
    }
    ArrayNode result = Json.NODES.arrayNode();
    current.forEach(result::add);
    return Optional.of(result);
  }

  /**
   * Why a definite path selects nothing in the data, as Jayway JSONPath and so Step Functions say
   * it: {@code No results for path: $['a']} when only the last step is missing, else {@code Missing
   * property in path $['a']} naming the first missing step.
   */
  String whyNotFound(JsonNode root) {
    JsonNode node = root;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (!step.definite()) {
        break;
      }
      node = definiteChild(node, step);
      if (node == null) {
        return i == steps.size() - 1
            ? "No results for path: " + normalized()
            : "Missing property in path " + prefix(i + 1);
      }
    }
    return "No results for path: " + normalized();
  }

  private static JsonNode definiteChild(JsonNode node, Step step) {
    if (step instanceof Member member) {
      return node.isObject() ? node.get(member.name()) : null;
    }
    int index = ((Index) step).index();
    if (!node.isArray()) {
      return null;
    }
    int at = index < 0 ? node.size() + index : index;
    return at >= 0 && at < node.size() ? node.get(at) : null;
  }

  private static void apply(Step step, JsonNode node, JsonNode root, List<JsonNode> out) {
    if (step.definite()) {
      JsonNode child = definiteChild(node, step);
      if (child != null) {
        out.add(child);
      }
    } else if (step instanceof Wildcard) {
      node.elements().forEachRemaining(out::add);
    } else if (step instanceof Slice slice) {
      if (node.isArray()) {
        slice(slice, node, out);
      }
    } else if (step instanceof Union union) {
      for (Object key : union.keys()) {
        JsonNode child =
            definiteChild(
                node, key instanceof String name ? new Member(name) : new Index((Integer) key));
        if (child != null) {
          out.add(child);
        }
      }
    } else if (step instanceof Descent descent) {
      List<JsonNode> all = new ArrayList<>();
      descendants(node, all);
      for (JsonNode each : all) {
        apply(descent.inner(), each, root, out);
      }
    } else if (step instanceof Filter filter && node.isContainerNode()) {
      node.elements()
          .forEachRemaining(
              element -> {
                if (filter.expr().test(element, root)) {
                  out.add(element);
                }
              });
    }
  }

  private static void descendants(JsonNode node, List<JsonNode> out) {
    out.add(node);
    node.elements().forEachRemaining(child -> descendants(child, out));
  }

  private static void slice(Slice s, JsonNode array, List<JsonNode> out) {
    int size = array.size();
    int step = s.step() == null ? 1 : s.step();
    if (step <= 0) {
      return;
    }
    int start = s.start() == null ? 0 : s.start();
    int end = s.end() == null ? size : s.end();
    start = start < 0 ? Math.max(0, size + start) : Math.min(start, size);
    end = end < 0 ? Math.max(0, size + end) : Math.min(end, size);
    for (int i = start; i < end; i += step) {
      out.add(array.get(i));
    }
  }

  /**
   * A copy of {@code root} with {@code value} at this path, creating missing intermediate objects,
   * as {@code ResultPath} does.
   *
   * @throws IllegalArgumentException if an existing node along the way is not a container the path
   *     can go through
   */
  JsonNode set(JsonNode root, JsonNode value) {
    if (!isDefinite()) {
      throw new IllegalArgumentException("'" + text + "' is not a Reference Path");
    }
    if (steps.isEmpty()) {
      return value;
    }
    JsonNode copy = root.deepCopy();
    JsonNode node = copy;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      boolean last = i == steps.size() - 1;
      if (step instanceof Member member) {
        if (!(node instanceof ObjectNode object)) {
          throw new IllegalArgumentException(describePrefix(i) + " is not an object");
        }
        if (last) {
          object.set(member.name(), value);
        } else {
          JsonNode child = object.get(member.name());
          if (child == null) {
            child = object.putObject(member.name());
          } else if (!child.isContainerNode()) {
            throw new IllegalArgumentException(describePrefix(i + 1) + " is not an object");
          }
          node = child;
        }
      } else {
        int index = ((Index) step).index();
        if (!(node instanceof ArrayNode array)) {
          throw new IllegalArgumentException(describePrefix(i + 1) + " does not exist");
        }
        int at = index < 0 ? array.size() + index : index;
        if (at < 0 || at >= array.size()) {
          throw new IllegalArgumentException(describePrefix(i + 1) + " does not exist");
        }
        if (last) {
          array.set(at, value);
        } else {
          node = array.get(at);
        }
      }
    }
    return copy;
  }

  /** The path in bracket notation, as Jayway JSONPath and so AWS report it. */
  String normalized() {
    return prefix(steps.size());
  }

  private String prefix(int count) {
    StringBuilder out = new StringBuilder(context ? "$$" : "$");
    for (Step step : steps.subList(0, Math.min(count, steps.size()))) {
      if (step instanceof Member m) {
        out.append("['").append(m.name().replace("\\", "\\\\").replace("'", "\\'")).append("']");
      } else if (step instanceof Index i) {
        out.append('[').append(i.index()).append(']');
      } else if (step instanceof Wildcard) {
        out.append("[*]");
      } else {
        out.append("[?]");
      }
    }
    return out.toString();
  }

  private String describePrefix(int stepCount) {
    return "'" + prefix(stepCount) + "'";
  }

  @Override
  public String toString() {
    return text;
  }

  /** Reads the steps of a path. */
  private static final class Scanner {
    private final String text;
    private int pos;
    private int filterDepth;

    Scanner(String text, int pos) {
      this.text = text;
      this.pos = pos;
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    private char peek() {
      return atEnd() ? 0 : text.charAt(pos);
    }

    private boolean startsWith(String s) {
      return text.startsWith(s, pos);
    }

    Step step() {
      char c = peek();
      if (c == '.') {
        pos++;
        if (peek() == '.') {
          pos++;
          if (peek() == '[') {
            return new Descent(bracket());
          }
          return new Descent(dotMember());
        }
        return dotMember();
      }
      if (c == '[') {
        return bracket();
      }
      throw invalid(text, "unexpected '" + c + "' at position " + pos);
    }

    private Step dotMember() {
      if (peek() == '*') {
        pos++;
        return new Wildcard();
      }
      int start = pos;
      while (!atEnd() && peek() != '.' && peek() != '[') {
        char c = peek();
        if (filterDepth > 0 && " )=<>!&|,".indexOf(c) >= 0) {
          break;
        }
        if (c == '(' || c == ')') {
          throw invalid(text, "functions such as '" + text.substring(start) + "' are not allowed");
        }
        if (c == ']' || c == '*' || c == '?' || c == '@' || c == '\'' || c == '"' || c == ' ') {
          throw invalid(text, "unexpected '" + c + "' at position " + pos);
        }
        pos++;
      }
      String name = text.substring(start, pos);
      if (name.isEmpty()) {
        throw invalid(text, "a member name is missing after '.'");
      }
      return new Member(name);
    }

    private Step bracket() {
      pos++; // [
      skipSpaces();
      char c = peek();
      Step step;
      if (c == '*') {
        pos++;
        step = new Wildcard();
      } else if (c == '?') {
        pos++;
        skipSpaces();
        expect('(');
        FilterExpr expr = new FilterParser(this).or();
        skipSpaces();
        expect(')');
        step = new Filter(expr);
      } else if (c == '\'' || c == '"') {
        List<Object> keys = new ArrayList<>();
        keys.add(quoted());
        skipSpaces();
        while (peek() == ',') {
          pos++;
          skipSpaces();
          keys.add(quoted());
          skipSpaces();
        }
        step = keys.size() == 1 ? new Member((String) keys.get(0)) : new Union(keys);
      } else if (c == '(') {
        throw invalid(text, "script expressions are not allowed");
      } else {
        int start = pos;
        while (!atEnd() && peek() != ']') {
          pos++;
        }
        String inside = text.substring(start, pos).strip();
        step = numeric(inside);
      }
      skipSpaces();
      if (peek() != ']') {
        throw invalid(text, atEnd() ? "unbalanced '['" : "expected ']' at position " + pos);
      }
      pos++;
      return step;
    }

    private Step numeric(String inside) {
      if (inside.matches("-?[0-9]{1,9}")) {
        return new Index(Integer.parseInt(inside));
      }
      if (inside.matches("-?[0-9]{1,9}(\\s*,\\s*-?[0-9]{1,9})+")) {
        List<Object> keys = new ArrayList<>();
        for (String part : inside.split(",")) {
          keys.add(Integer.parseInt(part.strip()));
        }
        return new Union(keys);
      }
      if (inside.matches("(-?[0-9]{1,9})?\\s*:\\s*(-?[0-9]{1,9})?(\\s*:\\s*(-?[0-9]{1,9})?)?")) {
        String[] parts = inside.split(":", -1);
        return new Slice(
            optionalInt(parts[0]),
            optionalInt(parts[1]),
            parts.length > 2 ? optionalInt(parts[2]) : null);
      }
      throw invalid(text, "'[" + inside + "]' is neither an index nor a quoted member name");
    }

    private static Integer optionalInt(String part) {
      String s = part.strip();
      return s.isEmpty() ? null : Integer.valueOf(s);
    }

    String quoted() {
      char quote = peek();
      if (quote != '\'' && quote != '"') {
        throw invalid(text, "expected a quoted name at position " + pos);
      }
      pos++;
      StringBuilder name = new StringBuilder();
      while (!atEnd() && peek() != quote) {
        if (peek() == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == quote) {
          pos++;
        }
        name.append(text.charAt(pos++));
      }
      if (atEnd()) {
        throw invalid(text, "unterminated quoted member name");
      }
      pos++;
      return name.toString();
    }

    void skipSpaces() {
      while (!atEnd() && peek() == ' ') {
        pos++;
      }
    }

    void expect(char c) {
      if (peek() != c) {
        throw invalid(text, "expected '" + c + "' at position " + pos);
      }
      pos++;
    }
  }

  /** A filter's Boolean expression, over the current element {@code @} and the root {@code $}. */
  private sealed interface FilterExpr {
    boolean test(JsonNode current, JsonNode root);
  }

  private record Or(FilterExpr left, FilterExpr right) implements FilterExpr {
    @Override
    public boolean test(JsonNode current, JsonNode root) {
      return left.test(current, root) || right.test(current, root);
    }
  }

  private record And(FilterExpr left, FilterExpr right) implements FilterExpr {
    @Override
    public boolean test(JsonNode current, JsonNode root) {
      return left.test(current, root) && right.test(current, root);
    }
  }

  private record Negation(FilterExpr negated) implements FilterExpr {
    @Override
    public boolean test(JsonNode current, JsonNode root) {
      return !negated.test(current, root);
    }
  }

  /** An operand: a path from {@code @} or {@code $}, or a JSON literal. */
  private record Operand(JsonPath path, boolean fromCurrent, JsonNode literal) {
    Optional<JsonNode> value(JsonNode current, JsonNode root) {
      if (path == null) {
        return Optional.of(literal);
      }
      return path.find(fromCurrent ? current : root);
    }
  }

  private record Exists(Operand operand) implements FilterExpr {
    @Override
    public boolean test(JsonNode current, JsonNode root) {
      Optional<JsonNode> value = operand.value(current, root);
      if (operand.path() != null && !operand.path().isDefinite()) {
        return value.map(v -> !v.isEmpty()).orElse(false);
      }
      return value.isPresent();
    }
  }

  private record Compare(Operand left, String op, Operand right) implements FilterExpr {
    @Override
    public boolean test(JsonNode current, JsonNode root) {
      Optional<JsonNode> l = left.value(current, root);
      Optional<JsonNode> r = right.value(current, root);
      if (l.isEmpty() || r.isEmpty()) {
        return op.equals("!=") && l.isPresent() != r.isPresent();
      }
      JsonNode a = l.get();
      JsonNode b = r.get();
      switch (op) {
        case "==":
          return same(a, b);
        case "!=":
          return !same(a, b);
        case "in":
          return b.isArray() && contains(b, a);
        case "nin":
          return b.isArray() && !contains(b, a);
        default:
          int comparison;
          if (a.isNumber() && b.isNumber()) {
            comparison = a.decimalValue().compareTo(b.decimalValue());
          } else if (a.isTextual() && b.isTextual()) {
            comparison = a.textValue().compareTo(b.textValue());
          } else {
            return false;
          }
          return switch (op) {
            case "<" -> comparison < 0;
            case "<=" -> comparison <= 0;
            case ">" -> comparison > 0;
            default -> comparison >= 0;
          };
      }
    }

    private static boolean contains(JsonNode array, JsonNode value) {
      for (JsonNode item : array) {
        if (same(item, value)) {
          return true;
        }
      }
      return false;
    }

    private static boolean same(JsonNode a, JsonNode b) {
      if (a.isNumber() && b.isNumber()) {
        return a.decimalValue().compareTo(b.decimalValue()) == 0;
      }
      return a.equals(b);
    }
  }

  /** Parses a filter expression from the scanner's position. */
  private static final class FilterParser {
    private static final List<String> OPERATORS =
        List.of("==", "!=", "<=", ">=", "<", ">", " in ", " nin ");
    private final Scanner scanner;

    FilterParser(Scanner scanner) {
      this.scanner = scanner;
    }

    FilterExpr or() {
      FilterExpr left = and();
      scanner.skipSpaces();
      while (scanner.startsWith("||")) {
        scanner.pos += 2;
        left = new Or(left, and());
        scanner.skipSpaces();
      }
      return left;
    }

    private FilterExpr and() {
      FilterExpr left = unary();
      scanner.skipSpaces();
      while (scanner.startsWith("&&")) {
        scanner.pos += 2;
        left = new And(left, unary());
        scanner.skipSpaces();
      }
      return left;
    }

    private FilterExpr unary() {
      scanner.skipSpaces();
      if (scanner.peek() == '!') {
        scanner.pos++;
        return new Negation(unary());
      }
      if (scanner.peek() == '(') {
        scanner.pos++;
        FilterExpr inner = or();
        scanner.skipSpaces();
        scanner.expect(')');
        return inner;
      }
      Operand left = operand();
      scanner.skipSpaces();
      for (String op : OPERATORS) {
        String probe = op.startsWith(" ") ? op.substring(1) : op;
        if (scanner.startsWith(probe)
            && (!op.startsWith(" ") || isBoundary(scanner.pos + probe.length()))) {
          scanner.pos += probe.length();
          return new Compare(left, op.strip(), operand());
        }
      }
      return new Exists(left);
    }

    private boolean isBoundary(int at) {
      return at < scanner.text.length() && scanner.text.charAt(at) == ' ';
    }

    private Operand operand() {
      scanner.skipSpaces();
      char c = scanner.peek();
      if (c == '@' || c == '$') {
        int start = scanner.pos;
        scanner.pos++;
        Scanner sub = scanner;
        List<Step> steps = new ArrayList<>();
        sub.filterDepth++;
        try {
          while (!sub.atEnd() && (sub.peek() == '.' || sub.peek() == '[')) {
            steps.add(sub.step());
          }
        } finally {
          sub.filterDepth--;
        }
        String pathText = "$" + scanner.text.substring(start + 1, scanner.pos);
        return new Operand(new JsonPath(pathText, false, steps), c == '@', null);
      }
      if (c == '\'' || c == '"') {
        return new Operand(null, false, Json.NODES.textNode(scanner.quoted()));
      }
      if (c == '[') {
        int depth = 0;
        int start = scanner.pos;
        do {
          char ch = scanner.peek();
          if (ch == '[') {
            depth++;
          } else if (ch == ']') {
            depth--;
          }
          scanner.pos++;
        } while (depth > 0 && !scanner.atEnd());
        String literal = scanner.text.substring(start, scanner.pos).replace('\'', '"');
        return new Operand(null, false, Json.parse(literal, "A filter literal"));
      }
      int start = scanner.pos;
      while (!scanner.atEnd() && " )&|!=<>".indexOf(scanner.peek()) < 0) {
        scanner.pos++;
      }
      String literal = scanner.text.substring(start, scanner.pos);
      if (literal.isEmpty()) {
        throw invalid(scanner.text, "a filter operand is missing at position " + start);
      }
      try {
        return new Operand(null, false, Json.parse(literal, "A filter literal"));
      } catch (IllegalArgumentException e) {
        throw invalid(scanner.text, "'" + literal + "' is not a filter operand");
      }
    }
  }
}
