package com.valuationflow.infra.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What a synchronous ({@code RequestResponse}) invocation answers, as Lambda's {@code Invoke} does.
 *
 * @param statusCode the HTTP status of the invocation itself: 200, also when the function failed
 * @param payload the function's result, or its error as the runtime or Lambda reported it, such as
 *     {@code {"errorType":"Sandbox.Timedout","errorMessage":"..."}}
 * @param functionError {@code Unhandled} when the payload is an error (Lambda's {@code
 *     X-Amz-Function-Error})
 */
public record InvokeResult(int statusCode, byte[] payload, Optional<String> functionError) {

  /** The function error of every error Lambda reports today. */
  public static final String UNHANDLED = "Unhandled";

  public InvokeResult {
    Objects.requireNonNull(payload, "'payload' must not be null");
    Objects.requireNonNull(functionError, "'functionError' must not be null");
    if (statusCode < 200 || statusCode > 299) {
      throw new IllegalArgumentException("'statusCode' must be 2xx: " + statusCode);
    }
    payload = payload.clone();
  }

  static InvokeResult success(byte[] payload) {
    return new InvokeResult(200, payload, Optional.empty());
  }

  static InvokeResult unhandled(byte[] payload) {
    return new InvokeResult(200, payload, Optional.of(UNHANDLED));
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload as UTF-8 text. */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** Whether the function failed. */
  public boolean failed() {
    return functionError.isPresent();
  }

  /** The error's {@code errorType}, which Step Functions takes as the error name, if it failed. */
  public Optional<String> errorType() {
    if (functionError.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode type = LambdaJson.MAPPER.readTree(payload).path("errorType");
      return type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof InvokeResult that
        && statusCode == that.statusCode
        && Arrays.equals(payload, that.payload)
        && functionError.equals(that.functionError);
  }

  @Override
  public int hashCode() {
    return Objects.hash(statusCode, Arrays.hashCode(payload), functionError);
  }

  @Override
  public String toString() {
    return "InvokeResult[statusCode="
        + statusCode
        + ", functionError="
        + functionError.orElse("none")
        + ", payload="
        + payloadText()
        + "]";
  }
}
