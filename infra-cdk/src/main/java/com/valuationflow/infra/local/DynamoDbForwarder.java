package com.valuationflow.infra.local;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Forwards DynamoDB requests to DynamoDB Local and hands back its answer unchanged: status, body
 * and headers such as {@code x-amz-crc32}. The request body goes byte for byte as the client sent
 * it, once any {@code Content-Encoding} is undone; the headers go along, but for those of the hop
 * itself.
 */
final class DynamoDbForwarder {

  private static final Set<String> HOP_HEADERS =
      Set.of(
          "host",
          "content-length",
          "content-encoding",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "expect",
          "upgrade",
          "te",
          "trailer",
          "proxy-connection",
          "proxy-authorization",
          "http2-settings",
          "date",
          "server");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI endpoint;
  private final HttpClient http;

  DynamoDbForwarder(URI endpoint) {
    this.endpoint = endpoint;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  GatewayResponse forward(Headers requestHeaders, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    requestHeaders.forEach(
        (name, values) -> {
          if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            values.forEach(value -> request.header(name, value));
          }
        });
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AwsServiceError(
          "InternalServerError", "DynamoDB Local did not answer: " + e.getMessage(), 500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsServiceError("InternalServerError", "Interrupted", 500);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!name.startsWith(":") && !HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                  || name.equalsIgnoreCase("content-encoding")) {
                headers.put(name, values);
              }
            });
    return new GatewayResponse(response.statusCode(), headers, response.body());
  }
}
