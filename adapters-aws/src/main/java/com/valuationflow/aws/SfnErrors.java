package com.valuationflow.aws;

import com.valuationflow.domain.model.TaskToken;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK exceptions into messages and exceptions that are safe to let out of an adapter. */
final class SfnErrors {

  private SfnErrors() {}

  static WorkflowServiceUnavailableException unavailable(String operation, SdkException e) {
    return new WorkflowServiceUnavailableException(
        "Step Functions " + operation + " failed: " + summary(e), e);
  }

  /**
   * As {@link #unavailable(String, SdkException)}, for a call that carried the token: the token is
   * replaced by its fingerprint in the message, and the SDK exception is kept as the cause only if
   * nothing in it mentions the token.
   */
  static WorkflowServiceUnavailableException unavailable(
      String operation, SdkException e, TaskToken token) {
    String message =
        Redaction.without(
            "Step Functions " + operation + " for " + token + " failed: " + summary(e),
            token.value(),
            token.toString());
    return new WorkflowServiceUnavailableException(message, mentions(e, token.value()) ? null : e);
  }

  /** The service's own message for an error, without the token. */
  static String serviceMessage(AwsServiceException e, TaskToken token) {
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return message == null ? "(no message)" : Redaction.without(message, token.value(), "<token>");
  }

  private static String summary(SdkException e) {
    StringBuilder summary = new StringBuilder();
    if (e instanceof AwsServiceException) {
      AwsServiceException service = (AwsServiceException) e;
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      summary
          .append(code == null ? "unknown error" : code)
          .append(" (HTTP ")
          .append(service.statusCode())
          .append(", request id ")
          .append(service.requestId())
          .append(")");
      String message =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
      if (message != null) {
        summary.append(": ").append(message);
      }
    } else {
      summary.append(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
    }
    if (e.numAttempts() != null) {
      summary.append(" [attempts: ").append(e.numAttempts()).append("]");
    }
    return summary.toString();
  }

  private static boolean mentions(Throwable throwable, String secret) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    return mentions(throwable, secret, seen);
  }

  private static boolean mentions(Throwable throwable, String secret, Set<Throwable> seen) {
    if (throwable == null || !seen.add(throwable)) {
      return false;
    }
    if (String.valueOf(throwable.getMessage()).contains(secret)
        || String.valueOf(throwable).contains(secret)) {
      return true;
    }
    for (Throwable suppressed : throwable.getSuppressed()) {
      if (mentions(suppressed, secret, seen)) {
        return true;
      }
    }
    return mentions(throwable.getCause(), secret, seen);
  }
}
