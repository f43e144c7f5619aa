package com.valuationflow.app.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
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
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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

  /**
   * Parses JSON text, which must be UTF-8 (RFC 8259; a leading byte order mark is ignored): left to
   * itself, Jackson would detect UTF-16 and UTF-32 too. Throws an {@link IOException} for anything
   * that is not UTF-8 JSON.
   */
  public static JsonNode parse(Buffer body) throws IOException {
    String text =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(body.getBytes()))
            .toString();
    try {
      return MAPPER.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
    } catch (NumberFormatException e) {
      // How Jackson reports a number it cannot represent, such as 1e2147483648.
      throw new JsonParseException(null, "A number is out of range", e);
    }
  }

  /** JSON text as a tree; text that is not JSON (or is empty) as a string node. */
  public static JsonNode parseOrText(String json) {
    try {
      JsonNode parsed = MAPPER.readTree(json);
      return parsed == null ? MAPPER.getNodeFactory().textNode(json) : parsed;
    } catch (JsonProcessingException | NumberFormatException e) {
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
