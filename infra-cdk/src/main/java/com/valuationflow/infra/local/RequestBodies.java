package com.valuationflow.infra.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Reads request bodies as the SDKs send them: fixed-length or chunked (the HTTP server undoes the
 * chunking), and {@code Content-Encoding: gzip} or {@code deflate}, which is undone here, up to a
 * size limit. The JSON protocols' body is one JSON object; an empty body counts as {@code {}}.
 */
final class RequestBodies {

  private RequestBodies() {}

  /**
   * The body, decoded.
   *
   * @throws AwsServiceError {@code SerializationException} for an unknown or broken encoding,
   *     {@code RequestEntityTooLargeException} (413) for a body over the limit
   */
  static byte[] read(HttpExchange exchange, int maxBytes) {
    try {
      InputStream body = exchange.getRequestBody();
      List<String> encodings = exchange.getRequestHeaders().get("Content-Encoding");
      if (encodings != null) {
        List<String> applied =
            encodings.stream()
                .flatMap(value -> List.of(value.split(",")).stream())
                .map(value -> value.trim().toLowerCase(Locale.ROOT))
                .filter(value -> !value.isEmpty() && !value.equals("identity"))
                .toList();
        for (int i = applied.size() - 1; i >= 0; i--) {
          body = decoder(applied.get(i), body);
        }
      }
      return readAtMost(body, maxBytes);
    } catch (ZipException e) {
      throw AwsServiceError.of("SerializationException", "The request body is not validly encoded");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One JSON object.
   *
   * @throws AwsServiceError {@code SerializationException} for anything else
   */
  static JsonNode json(byte[] body) {
    if (body.length == 0) {
      return AwsJson.object();
    }
    JsonNode json;
    try {
      json = AwsJson.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw AwsServiceError.of(
          "SerializationException",
          "The request body is not valid JSON"
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"));
    }
    if (json == null || !json.isObject()) {
      throw AwsServiceError.of("SerializationException", "The request body must be a JSON object");
    }
    return json;
  }

  private static InputStream decoder(String encoding, InputStream body) throws IOException {
    return switch (encoding) {
      case "gzip", "x-gzip" -> new GZIPInputStream(body);
      case "deflate" -> new InflaterInputStream(body);
      default ->
          throw AwsServiceError.of(
              "SerializationException", "Unsupported Content-Encoding: " + encoding);
    };
  }

  private static byte[] readAtMost(InputStream body, int maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int read;
    while ((read = body.read(buffer)) != -1) {
      if (out.size() + read > maxBytes) {
        throw new AwsServiceError(
            "RequestEntityTooLargeException",
            "The request body exceeds " + maxBytes + " bytes",
            413);
      }
      out.write(buffer, 0, read);
    }
    return out.toByteArray();
  }
}
