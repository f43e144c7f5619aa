package com.valuationflow.infra.local.lambda;

import java.util.Objects;

/**
 * One invocation as the Runtime API hands it to a runtime from {@code /invocation/next}.
 *
 * @param requestId {@code Lambda-Runtime-Aws-Request-Id}
 * @param deadlineMs {@code Lambda-Runtime-Deadline-Ms}, epoch milliseconds
 * @param functionArn {@code Lambda-Runtime-Invoked-Function-Arn}
 * @param traceId {@code Lambda-Runtime-Trace-Id}
 * @param payload the event
 */
record Invocation(
    String requestId, long deadlineMs, String functionArn, String traceId, byte[] payload) {

  Invocation {
    Objects.requireNonNull(requestId, "'requestId' must not be null");
    Objects.requireNonNull(functionArn, "'functionArn' must not be null");
    Objects.requireNonNull(traceId, "'traceId' must not be null");
    Objects.requireNonNull(payload, "'payload' must not be null");
  }
}
