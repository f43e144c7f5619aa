package com.valuationflow.infra.local.lambda;

import com.valuationflow.infra.local.AwsServiceError;
import java.time.Duration;
import java.util.Locale;

/**
 * The errors Lambda itself reports for an invocation, worded and ordered as recorded against AWS.
 */
final class LambdaErrors {

  /** The largest request and response payload of a synchronous invocation: 6 MB. */
  static final int MAX_REQUEST_BYTES = 6_291_456;

  /** Lambda accepts a response up to 100 bytes beyond 6 MB. */
  static final int MAX_RESPONSE_BYTES = 6_291_556;

  private LambdaErrors() {}

  /** The function overran its timeout; Lambda stopped its execution environment. */
  static InvokeResult timedOut(String requestId, Duration timeout) {
    String seconds = String.format(Locale.ROOT, "%.2f", timeout.toMillis() / 1000.0);
    return error(
        "Sandbox.Timedout",
        "RequestId: " + requestId + " Error: Task timed out after " + seconds + " seconds");
  }

  /** The runtime process ended before it answered the invocation. */
  static InvokeResult exited(String requestId, int exitCode) {
    String reason =
        exitCode == 0
            ? "Runtime exited without providing a reason"
            : "Runtime exited with error: exit status " + exitCode;
    return error("Runtime.ExitError", "RequestId: " + requestId + " Error: " + reason);
  }

  /** The function's result was larger than Lambda takes. */
  static InvokeResult responseTooLarge() {
    return InvokeResult.unhandled(
        messageFirst(
            "Response payload size exceeded maximum allowed payload size ("
                + MAX_RESPONSE_BYTES
                + " bytes).",
            "Function.ResponseSizeTooLarge"));
  }

  /** What the Runtime API answers a runtime that posts too large a response. */
  static byte[] responseTooLargeForRuntime() {
    return messageFirst(
        "Exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).",
        "RequestEntityTooLarge");
  }

  static AwsServiceError requestTooLarge() {
    return new AwsServiceError(
        "RequestTooLargeException",
        "Request must be smaller than "
            + MAX_REQUEST_BYTES
            + " bytes for the InvokeFunction"
            + " operation",
        413);
  }

  static AwsServiceError notFound(String functionArn) {
    return new AwsServiceError(
        "ResourceNotFoundException", "Function not found: " + functionArn, 404);
  }

  private static InvokeResult error(String type, String message) {
    return InvokeResult.unhandled(LambdaJson.object("errorType", type, "errorMessage", message));
  }

  private static byte[] messageFirst(String message, String type) {
    return LambdaJson.object("errorMessage", message, "errorType", type);
  }
}
