package com.valuationflow.infra.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * What the local AWS JSON services share: reading request members with the services' validation
 * errors, and writing timestamps as the JSON protocols do (epoch seconds with a fraction).
 */
public final class AwsJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private AwsJson() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Parses JSON text, such as a request body or a definition. */
  public static JsonNode parse(String json) throws JsonProcessingException {
    return MAPPER.readTree(json);
  }

  /** Compact JSON text. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree could not be written", e);
    }
  }

  /**
   * A string member that must be present.
   *
   * @throws AwsServiceError {@code ValidationException} if absent or null, {@code
   *     SerializationException} if not a string
   */
  public static String requiredString(JsonNode request, String member) {
    return optionalString(request, member)
        .orElseThrow(() -> validation(member, null, "Member must not be null"));
  }

  /**
   * A string member that may be absent.
   *
   * @throws AwsServiceError {@code SerializationException} if present and not a string
   */
  public static Optional<String> optionalString(JsonNode request, String member) {
    JsonNode value = request.get(member);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw AwsServiceError.of(
          "SerializationException", "Expected a string for '" + member + "', got " + kind(value));
    }
    return Optional.of(value.textValue());
  }

  /** A boolean member, or the default if absent. */
  public static boolean optionalBoolean(JsonNode request, String member, boolean otherwise) {
    JsonNode value = request.get(member);
    if (value == null || value.isNull()) {
      return otherwise;
    }
    if (!value.isBoolean()) {
      throw AwsServiceError.of(
          "SerializationException", "Expected a boolean for '" + member + "', got " + kind(value));
    }
    return value.booleanValue();
  }

  /** An integer member, or the default if absent. */
  public static int optionalInt(JsonNode request, String member, int otherwise) {
    JsonNode value = request.get(member);
    if (value == null || value.isNull()) {
      return otherwise;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw AwsServiceError.of(
          "SerializationException", "Expected an integer for '" + member + "', got " + kind(value));
    }
    return value.intValue();
  }

  /** A string member of at most {@code max} characters, if present. */
  public static Optional<String> optionalString(JsonNode request, String member, int max) {
    Optional<String> value = optionalString(request, member);
    value.ifPresent(
        text -> {
          if (text.length() > max) {
            throw validation(
                member,
                "<" + text.length() + " characters>",
                "Member must have length less than" + " or equal to " + max);
          }
        });
    return value;
  }

  /**
   * {@code ValidationException} as the services word it, for one member.
   *
   * @param value as the message shows it; null for an absent member
   */
  public static AwsServiceError validation(String member, Object value, String constraint) {
    return AwsServiceError.of(
        "ValidationException",
        "1 validation error detected: Value "
            + (value == null ? "null" : "'" + value + "'")
            + " at '"
            + member
            + "' failed to satisfy constraint: "
            + constraint);
  }

  /** Epoch seconds with milliseconds, the JSON protocols' timestamp format. */
  public static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
  }

  private static String kind(JsonNode value) {
    return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
