package com.valuationflow.aws;

import com.valuationflow.domain.model.TaskToken;
import java.time.Duration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK exceptions into messages and exceptions that are safe to let out of an adapter. */
final class SfnErrors {

  /** When to try again after throttling that outlasted the SDK's retries. */
  static final Duration RETRY_AFTER_THROTTLING = Duration.ofSeconds(1);

  private SfnErrors() {}

  static WorkflowServiceUnavailableException unavailable(String operation, SdkException e) {
    return unavailable("Step Functions " + operation + " failed: " + Redaction.summary(e), e, e);
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
            "Step Functions " + operation + " for " + token + " failed: " + Redaction.summary(e),
            token.value(),
            token.toString());
    return unavailable(message, Redaction.mentions(e, token.value()) ? null : e, e);
  }

  private static WorkflowServiceUnavailableException unavailable(
      String message, Throwable cause, SdkException e) {
    return e instanceof AwsServiceException service && service.isThrottlingException()
        ? new WorkflowServiceUnavailableException(message, cause, RETRY_AFTER_THROTTLING)
        : new WorkflowServiceUnavailableException(message, cause);
  }

  /** The service's own message for an error, without the token. */
  static String serviceMessage(AwsServiceException e, TaskToken token) {
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return message == null ? "(no message)" : Redaction.without(message, token.value(), "<token>");
  }
}
