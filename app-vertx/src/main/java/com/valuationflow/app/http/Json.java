package com.valuationflow.app.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson mapper of the HTTP layer: strict about what it reads (no duplicate keys, no
 * trailing content, bounded nesting and string length), exact with numbers.
 */
public final class Json {

  public static final int MAX_NESTING_DEPTH = 16;
  public static final int MAX_STRING_LENGTH = 16_384;

  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxStringLength(MAX_STRING_LENGTH)
                          .maxNumberLength(64)
                          .build())
                  .build())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private Json() {}

  /** Parses JSON text; throws {@link JsonProcessingException} for anything that is not JSON. */
  public static JsonNode parse(Buffer body) throws IOException {
    return MAPPER.readTree(body.getBytes());
  }

  /** JSON text as a tree; text that is not JSON (or is empty) as a string node. */
  public static JsonNode parseOrText(String json) {
    try {
      JsonNode parsed = MAPPER.readTree(json);
      return parsed == null ? MAPPER.getNodeFactory().textNode(json) : parsed;
    } catch (JsonProcessingException e) {
      return MAPPER.getNodeFactory().textNode(json);
    }
  }

  public static Buffer toBuffer(Object value) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
