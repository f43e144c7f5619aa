package com.valuationflow.aws;

import com.valuationflow.domain.port.ServiceUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * DynamoDB did not give the answered-webhooks store an answer it knows. The message names the
 * operation, the table, the {@code webhook-id} and DynamoDB's error code and request id.
 */
public final class AnsweredWebhooksUnavailableException extends ServiceUnavailableException {

  private static final long serialVersionUID = 1L;

  private AnsweredWebhooksUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  static AnsweredWebhooksUnavailableException of(
      String operation, String tableName, String webhookId, SdkException e) {
    return new AnsweredWebhooksUnavailableException(
        "DynamoDB "
            + operation
            + " on table '"
            + tableName
            + "' for webhook-id '"
            + webhookId
            + "' failed: "
            + Redaction.summary(e),
        e);
  }
}
