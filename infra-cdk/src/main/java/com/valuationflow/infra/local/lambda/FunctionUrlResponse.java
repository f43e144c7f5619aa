package com.valuationflow.infra.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP response a function URL makes of a function's result, as Lambda's developer guide
 * describes it ("Response payload format"): a JSON object with a {@code statusCode} gives the
 * status, headers, cookies (as {@code Set-Cookie}) and body, base64-decoded if {@code
 * isBase64Encoded}; any other JSON is a 200 {@code application/json} body as it is.
 *
 * @param headers name and value pairs, a name repeated for each {@code Set-Cookie}
 */
record FunctionUrlResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

  private static final String JSON = "application/json";
  private static final Set<String> HOP_BY_HOP =
      Set.of("content-length", "transfer-encoding", "connection");

  FunctionUrlResponse {
    Objects.requireNonNull(headers, "'headers' must not be null");
    Objects.requireNonNull(body, "'body' must not be null");
    headers = List.copyOf(headers);
  }

  /** What a function error (or a result that is not a response) answers: 502. */
  static FunctionUrlResponse badGateway() {
    return new FunctionUrlResponse(
        502,
        List.of(Map.entry("Content-Type", JSON)),
        "Internal Server Error".getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON error of the URL itself, such as {@code {"Message":"Forbidden..."}}. */
  static FunctionUrlResponse error(int status, String errorType, String message) {
    return new FunctionUrlResponse(
        status,
        List.of(Map.entry("Content-Type", JSON), Map.entry("x-amzn-ErrorType", errorType)),
        LambdaJson.object("Message", message));
  }

  static FunctionUrlResponse of(byte[] result) {
    JsonNode node;
    try {
      node = LambdaJson.MAPPER.readTree(result);
    } catch (IOException e) {
      return badGateway();
    }
    if (node == null) {
      return badGateway();
    }
    if (!node.isObject() || !node.has("statusCode")) {
      return new FunctionUrlResponse(200, List.of(Map.entry("Content-Type", JSON)), result);
    }
    JsonNode status = node.get("statusCode");
    if (!status.canConvertToInt() || status.asInt() < 100 || status.asInt() > 599) {
      return badGateway();
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    node.path("headers")
        .fields()
        .forEachRemaining(
            field -> {
              if (!HOP_BY_HOP.contains(field.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(Map.entry(field.getKey(), field.getValue().asText()));
              }
            });
    if (headers.stream().noneMatch(header -> header.getKey().equalsIgnoreCase("content-type"))) {
      headers.add(Map.entry("Content-Type", JSON));
    }
    node.path("cookies").forEach(cookie -> headers.add(Map.entry("Set-Cookie", cookie.asText())));
    JsonNode body = node.path("body");
    byte[] bytes;
    if (body.isMissingNode() || body.isNull()) {
      bytes = new byte[0];
    } else if (!body.isTextual()) {
      bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    } else if (node.path("isBase64Encoded").asBoolean(false)) {
      try {
        bytes = Base64.getDecoder().decode(body.asText());
      } catch (IllegalArgumentException e) {
        return badGateway();
      }
    } else {
      bytes = body.asText().getBytes(StandardCharsets.UTF_8);
    }
    return new FunctionUrlResponse(status.asInt(), headers, bytes);
  }
}
