package com.valuationflow.infra.local.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The event a function URL hands its function for an HTTP request: API Gateway's payload format
 * 2.0, as Lambda's developer guide shows it ("Request payload format"): headers lower-cased with
 * repeated ones comma-joined, cookies apart, the query both raw and decoded, a body that is not
 * UTF-8 text base64-encoded.
 */
final class FunctionUrlEvent {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private FunctionUrlEvent() {}

  /**
   * @param urlId the function URL's ID, its {@code apiId} and {@code domainPrefix}
   * @param requestId the invocation's request ID
   * @param traceId the {@code x-amzn-trace-id} the URL adds
   */
  static ObjectNode of(
      HttpExchange exchange,
      byte[] body,
      String urlId,
      String requestId,
      String traceId,
      Instant now) {
    String rawPath = exchange.getRequestURI().getRawPath();
    String rawQuery = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
    String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
    Map<String, String> headers = new TreeMap<>();
    ArrayNode cookies = LambdaJson.MAPPER.createArrayNode();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String key = name.toLowerCase(Locale.ROOT);
              if (key.equals("cookie")) {
                values.stream()
                    .flatMap(value -> List.of(value.split(";")).stream())
                    .map(String::strip)
                    .filter(cookie -> !cookie.isEmpty())
                    .forEach(cookies::add);
              } else if (!key.equals("connection")) {
                headers.merge(key, String.join(",", values), (a, b) -> a + "," + b);
              }
            });
    headers.putIfAbsent("x-amzn-trace-id", traceId);
    headers.put("x-forwarded-for", sourceIp);
    headers.put("x-forwarded-proto", "http");
    headers.put("x-forwarded-port", Integer.toString(exchange.getLocalAddress().getPort()));

    ObjectNode event = LambdaJson.MAPPER.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", rawPath);
    event.put("rawQueryString", rawQuery);
    if (!cookies.isEmpty()) {
      event.set("cookies", cookies);
    }
    ObjectNode headerNode = event.putObject("headers");
    headers.forEach(headerNode::put);
    if (!rawQuery.isEmpty()) {
      ObjectNode parameters = event.putObject("queryStringParameters");
      queryParameters(rawQuery).forEach(parameters::put);
    }
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", "anonymous");
    context.put("apiId", urlId);
    context.put("domainName", Optional.ofNullable(headers.get("host")).orElse(urlId));
    context.put("domainPrefix", urlId);
    ObjectNode http = context.putObject("http");
    http.put("method", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
    http.put("path", rawPath);
    http.put("protocol", exchange.getProtocol());
    http.put("sourceIp", sourceIp);
    http.put("userAgent", headers.getOrDefault("user-agent", ""));
    context.put("requestId", requestId);
    context.put("routeKey", "$default");
    context.put("stage", "$default");
    context.put("time", TIME.format(now));
    context.put("timeEpoch", now.toEpochMilli());
    if (body.length > 0) {
      Optional<String> text = text(body, headers.get("content-type"));
      event.put("body", text.orElseGet(() -> Base64.getEncoder().encodeToString(body)));
      event.put("isBase64Encoded", text.isEmpty());
    } else {
      event.put("isBase64Encoded", false);
    }
    return event;
  }

  /** Decoded parameters, repeated ones comma-joined in order. */
  private static Map<String, String> queryParameters(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      parameters.merge(name, value, (a, b) -> a + "," + b);
    }
    return parameters;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  /** The body as text if its content type is textual and it is UTF-8; else it goes as base64. */
  private static Optional<String> text(byte[] body, String contentType) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (!type.contains("text") && !type.contains("json") && !type.contains("xml")) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
