package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the gateway answers: status, headers and body. */
record GatewayResponse(int status, Map<String, List<String>> headers, byte[] body) {

  GatewayResponse {
    headers = Map.copyOf(headers);
  }

  static GatewayResponse json(int status, String contentType, JsonNode body) {
    return new GatewayResponse(
        status,
        Map.of(
            "Content-Type", List.of(contentType),
            "x-amzn-RequestId", List.of(UUID.randomUUID().toString())),
        AwsJson.write(body).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code {"__type": code, "message": ...}} with the error's status.
   *
   * @param typePrefix such as {@code com.amazonaws.dynamodb.v20120810#}, or empty
   */
  static GatewayResponse error(AwsServiceError error, String contentType, String typePrefix) {
    com.fasterxml.jackson.databind.node.ObjectNode body = AwsJson.object();
    body.put("__type", typePrefix + error.code());
    body.put("message", error.getMessage());
    return json(error.status(), contentType, body);
  }
}
