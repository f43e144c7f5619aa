package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Strict JSON parsing and compact printing shared by the engine. */
final class Json {

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  /**
   * Parses one JSON document.
   *
   * @throws IllegalArgumentException naming {@code what} if the text is not a single JSON value
   */
  static JsonNode parse(String text, String what) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(what + " must be a JSON document, was empty");
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException(what + " must be a JSON document, was empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Parses a document that callers send, such as task output: the message on failure gives the
   * position but quotes none of the text, which may hold secrets.
   */
  static JsonNode parsePayload(String text, String what) {
    try {
      return parse(text, what);
    } catch (IllegalArgumentException e) {
      String where = "";
      if (e.getCause() instanceof JsonProcessingException problem
          && problem.getLocation() != null) {
        where =
            " at line "
                + problem.getLocation().getLineNr()
                + ", column "
                + problem.getLocation().getColumnNr();
      }
      throw new IllegalArgumentException(what + " is not valid JSON" + where);
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree could not be written", e);
    }
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }
}
