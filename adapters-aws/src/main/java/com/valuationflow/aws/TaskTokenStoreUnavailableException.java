package com.valuationflow.aws;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.ServiceUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * DynamoDB did not give the task token store, or the record of submissions in its table, an answer
 * it knows: it kept throttling after the SDK's retries, failed with a server error, could not be
 * reached in time, or refused the call (permissions, a missing table). The message names the
 * operation, the table, the item's key and DynamoDB's error code and request id, never a task
 * token.
 */
public final class TaskTokenStoreUnavailableException extends ServiceUnavailableException {

  private static final long serialVersionUID = 1L;

  private TaskTokenStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  static TaskTokenStoreUnavailableException of(
      String operation, String tableName, CorrelationKey key, SdkException e) {
    return new TaskTokenStoreUnavailableException(message(operation, tableName, key, e), e);
  }

  /** As {@link #of(String, String, CorrelationKey, SdkException)}, for an item of another key. */
  static TaskTokenStoreUnavailableException forItem(
      String operation, String tableName, String itemKey, SdkException e) {
    return new TaskTokenStoreUnavailableException(message(operation, tableName, itemKey, e), e);
  }

  /**
   * As {@link #of(String, String, CorrelationKey, SdkException)}, for a call that carried the
   * token: the token is replaced by its fingerprint in the message, and the SDK exception is kept
   * as the cause only if nothing in it mentions the token.
   */
  static TaskTokenStoreUnavailableException of(
      String operation, String tableName, CorrelationKey key, SdkException e, TaskToken token) {
    String message =
        Redaction.without(message(operation, tableName, key, e), token.value(), token.toString());
    return new TaskTokenStoreUnavailableException(
        message, Redaction.mentions(e, token.value()) ? null : e);
  }

  private static String message(String operation, String tableName, Object key, SdkException e) {
    return "DynamoDB "
        + operation
        + " on table '"
        + tableName
        + (key == null ? "" : "' for key '" + key)
        + "' failed: "
        + Redaction.summary(e);
  }
}
