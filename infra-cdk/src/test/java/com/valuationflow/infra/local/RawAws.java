package com.valuationflow.infra.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP requests to the gateway, for what the SDKs never send or hide from their callers. */
final class RawAws {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private RawAws() {}

  static String authorization(String accessKey, String service) {
    return "AWS4-HMAC-SHA256 Credential="
        + accessKey
        + "/20261201/eu-west-2/"
        + service
        + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";
  }

  /** A request with the usual headers; {@code authorization} may be null. */
  static HttpRequest.Builder request(URI endpoint, String target, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-amz-json-1.0");
    if (target != null) {
      request.header("X-Amz-Target", target);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> post(URI endpoint, String target, String authorization, String body) {
    return send(
        request(endpoint, target, authorization)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
