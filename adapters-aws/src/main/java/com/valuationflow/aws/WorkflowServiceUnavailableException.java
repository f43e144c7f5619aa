package com.valuationflow.aws;

import com.valuationflow.domain.port.ServiceUnavailableException;
import java.time.Duration;

/**
 * Step Functions did not give an answer the workflow ports know: it kept throttling after the SDK's
 * retries, failed with a server error, could not be reached in time, or refused the call
 * (permissions, a missing state machine). The message names the operation and the service's error
 * code and request id, never a task token. Throttling that outlasted the retries carries a {@link
 * #retryAfter()}.
 */
public final class WorkflowServiceUnavailableException extends ServiceUnavailableException {

  private static final long serialVersionUID = 1L;

  WorkflowServiceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  WorkflowServiceUnavailableException(String message, Throwable cause, Duration retryAfter) {
    super(message, cause, retryAfter);
  }
}
