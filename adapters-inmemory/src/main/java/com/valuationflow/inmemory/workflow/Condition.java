package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** A Choice Rule's Boolean expression. */
sealed interface Condition
    permits Condition.And, Condition.Or, Condition.Not, Condition.Comparison {

  /**
   * @throws WorkflowError {@code States.Runtime} if a path the rule depends on matches nothing
   */
  boolean test(JsonNode input, JsonNode context);

  record And(List<Condition> all) implements Condition {
    @Override
    public boolean test(JsonNode input, JsonNode context) {
      return all.stream().allMatch(condition -> condition.test(input, context));
    }
  }

  record Or(List<Condition> any) implements Condition {
    @Override
    public boolean test(JsonNode input, JsonNode context) {
      return any.stream().anyMatch(condition -> condition.test(input, context));
    }
  }

  record Not(Condition negated) implements Condition {
    @Override
    public boolean test(JsonNode input, JsonNode context) {
      return !negated.test(input, context);
    }
  }

  /**
   * {@code Variable} compared by an operator with a literal {@code value} or, for the {@code
   * ...Path} operators, with the node at {@code valuePath}.
   */
  record Comparison(JsonPath variable, Operator operator, JsonNode value, JsonPath valuePath)
      implements Condition {

    @Override
    public boolean test(JsonNode input, JsonNode context) {
      Optional<JsonNode> found = DataFlow.find(variable, input, context);
      if (operator == Operator.IS_PRESENT) {
        return found.isPresent() == value.booleanValue();
      }
      JsonNode actual =
          found.orElseThrow(
              () ->
                  WorkflowError.runtime(
                      "Invalid path '"
                          + variable.text()
                          + "': The choice state's condition path references an invalid value."));
      JsonNode expected = value;
      if (valuePath != null) {
        expected =
            DataFlow.find(valuePath, input, context)
                .orElseThrow(
                    () ->
                        WorkflowError.runtime(
                            "Invalid path '"
                                + valuePath.text()
                                + "': The choice state's condition path references an invalid"
                                + " value."));
      }
      return operator.test(actual, expected);
    }
  }

  /** The comparison operators; each also exists with a {@code Path} suffix unless noted. */
  enum Operator {
    STRING_EQUALS("StringEquals", Kind.STRING),
    STRING_LESS_THAN("StringLessThan", Kind.STRING),
    STRING_GREATER_THAN("StringGreaterThan", Kind.STRING),
    STRING_LESS_THAN_EQUALS("StringLessThanEquals", Kind.STRING),
    STRING_GREATER_THAN_EQUALS("StringGreaterThanEquals", Kind.STRING),
    STRING_MATCHES("StringMatches", Kind.PATTERN),
    NUMERIC_EQUALS("NumericEquals", Kind.NUMERIC),
    NUMERIC_LESS_THAN("NumericLessThan", Kind.NUMERIC),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Kind.NUMERIC),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Kind.NUMERIC),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Kind.NUMERIC),
    BOOLEAN_EQUALS("BooleanEquals", Kind.BOOLEAN),
    TIMESTAMP_EQUALS("TimestampEquals", Kind.TIMESTAMP),
    TIMESTAMP_LESS_THAN("TimestampLessThan", Kind.TIMESTAMP),
    TIMESTAMP_GREATER_THAN("TimestampGreaterThan", Kind.TIMESTAMP),
    TIMESTAMP_LESS_THAN_EQUALS("TimestampLessThanEquals", Kind.TIMESTAMP),
    TIMESTAMP_GREATER_THAN_EQUALS("TimestampGreaterThanEquals", Kind.TIMESTAMP),
    IS_NULL("IsNull", Kind.TYPE_TEST),
    IS_PRESENT("IsPresent", Kind.TYPE_TEST),
    IS_NUMERIC("IsNumeric", Kind.TYPE_TEST),
    IS_STRING("IsString", Kind.TYPE_TEST),
    IS_BOOLEAN("IsBoolean", Kind.TYPE_TEST),
    IS_TIMESTAMP("IsTimestamp", Kind.TYPE_TEST);

    /** What an operator compares, and so what its literal value must be. */
    enum Kind {
      STRING,
      PATTERN,
      NUMERIC,
      BOOLEAN,
      TIMESTAMP,
      TYPE_TEST
    }

    private final String field;
    private final Kind kind;

    Operator(String field, Kind kind) {
      this.field = field;
      this.kind = kind;
    }

    String field() {
      return field;
    }

    Kind kind() {
      return kind;
    }

    /** Whether a {@code <field>Path} variant exists. */
    boolean hasPathVariant() {
      return kind != Kind.PATTERN && kind != Kind.TYPE_TEST;
    }

    /** Whether a literal is of the type this operator takes. */
    boolean accepts(JsonNode literal) {
      return switch (kind) {
        case STRING, PATTERN -> literal.isTextual();
        case NUMERIC -> literal.isNumber();
        case TIMESTAMP -> timestamp(literal).isPresent();
        case BOOLEAN, TYPE_TEST -> literal.isBoolean();
      };
    }

    static Optional<Operator> byField(String field) {
      return Arrays.stream(values()).filter(op -> op.field.equals(field)).findFirst();
    }

    boolean test(JsonNode actual, JsonNode expected) {
      return switch (kind) {
        case STRING ->
            actual.isTextual()
                && expected.isTextual()
                && compares(actual.textValue().compareTo(expected.textValue()));
        case PATTERN -> actual.isTextual() && matches(actual.textValue(), expected.textValue());
        case NUMERIC ->
            actual.isNumber()
                && expected.isNumber()
                && compares(actual.decimalValue().compareTo(expected.decimalValue()));
        case BOOLEAN ->
            actual.isBoolean()
                && expected.isBoolean()
                && actual.booleanValue() == expected.booleanValue();
        case TIMESTAMP -> compareTimestamps(actual, expected);
        case TYPE_TEST -> typeTest(actual) == expected.booleanValue();
      };
    }

    private boolean typeTest(JsonNode actual) {
      return switch (this) {
        case IS_NULL -> actual.isNull();
        case IS_PRESENT -> true;
        case IS_NUMERIC -> actual.isNumber();
        case IS_STRING -> actual.isTextual();
        case IS_BOOLEAN -> actual.isBoolean();
        case IS_TIMESTAMP -> timestamp(actual).isPresent();
        default -> throw new IllegalStateException(field + " is not a type test");
      };
    }

    private boolean compareTimestamps(JsonNode actual, JsonNode expected) {
      Optional<Instant> left = timestamp(actual);
      Optional<Instant> right = timestamp(expected);
      return left.isPresent() && right.isPresent() && compares(left.get().compareTo(right.get()));
    }

    private boolean compares(int comparison) {
      if (field.endsWith("LessThanEquals")) {
        return comparison <= 0;
      }
      if (field.endsWith("GreaterThanEquals")) {
        return comparison >= 0;
      }
      if (field.endsWith("LessThan")) {
        return comparison < 0;
      }
      if (field.endsWith("GreaterThan")) {
        return comparison > 0;
      }
      return comparison == 0;
    }

    /** {@code *} matches any run of characters; {@code \*} and {@code \\} are literal. */
    static boolean matches(String text, String pattern) {
      StringBuilder regex = new StringBuilder();
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        if (c == '\\' && i + 1 < pattern.length()) {
          regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
        } else if (c == '*') {
          regex.append(".*");
        } else {
          regex.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text).matches();
    }
  }

  /** An RFC 3339 timestamp, as ASL requires ({@code 2016-03-14T01:59:00Z}). */
  static Optional<Instant> timestamp(JsonNode node) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(node.textValue()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
