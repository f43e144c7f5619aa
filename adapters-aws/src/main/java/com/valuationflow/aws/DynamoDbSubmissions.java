package com.valuationflow.aws;

import com.valuationflow.domain.model.ApplicationReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Which loan applications were submitted before, in the task token table: one item per application
 * under the key {@value #KEY_PREFIX}{@code <applicationReference>} (correlation keys never contain
 * {@code #}), written with one conditional {@code PutItem} and never read. {@link
 * StepFunctionsWorkflowStarter} asks it whether a submission is the first, since {@code
 * StartExecution} answers a repeat exactly as it answered the first.
 *
 * <p>The item carries a random id of the call that wrote it ({@value #RECORDED_BY}): the SDK
 * retries a put whose answer was lost, the retry then fails its condition, and the item returned
 * with the failure shows that it was this call's own. It is withdrawn only by the call that wrote
 * it.
 *
 * <p>Its time to live ({@value TaskTokenTable#TTL_ATTRIBUTE}) is {@link #LONGEST_EXECUTION} after
 * the submission, plus the retention of the task token store: the record outlives every execution
 * it speaks for, and what the store remembers of its outcome. While an execution runs, a repeat is
 * told from the first by the record alone; once it has closed, {@code StartExecution} answers a
 * repeat {@code ExecutionAlreadyExists} whatever the record says, and the starter reads the
 * execution to tell a repeat from another application. Step Functions frees a closed execution's
 * name 90 days after it closed, so a submission under that name after that starts a new execution
 * and, while the record lives, is told it was submitted before. An item past its time to live
 * counts as absent, since DynamoDB deletes it only within about two days. SDK errors are thrown as
 * {@link TaskTokenStoreUnavailableException}.
 */
public final class DynamoDbSubmissions {

  /**
   * The longest a loan processor execution can live: one year, the longest Step Functions runs a
   * Standard workflow's execution before it times out (the loan processor sets no shorter limit of
   * its own, and one attempt of its task may wait that long).
   */
  public static final Duration LONGEST_EXECUTION = Duration.ofDays(365);

  static final String KEY_PREFIX = "submission#";
  static final String KEY = TaskTokenTable.PARTITION_KEY;
  static final String RECORDED_BY = "submissionRecordedBy";
  static final String FORGET_AT = TaskTokenTable.TTL_ATTRIBUTE;

  private static final String FIRST_CONDITION =
      "attribute_not_exists(#key) OR #forgetAt <= :nowSeconds";

  private final DynamoDbClient dynamoDb;
  private final String tableName;
  private final Clock clock;
  private final Duration retention;

  public DynamoDbSubmissions(DynamoDbClient dynamoDb, String tableName, Clock clock) {
    this(dynamoDb, tableName, clock, DynamoDbTaskTokenStore.DEFAULT_RETENTION);
  }

  /**
   * @param retention the task token store's retention, added to {@link #LONGEST_EXECUTION} for the
   *     records' time to live
   */
  public DynamoDbSubmissions(
      DynamoDbClient dynamoDb, String tableName, Clock clock, Duration retention) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "'dynamoDb' must not be null");
    this.tableName = Objects.requireNonNull(tableName, "'tableName' must not be null");
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    this.retention = Objects.requireNonNull(retention, "'retention' must not be null");
    if (retention.isNegative()) {
      throw new IllegalArgumentException("'retention' must not be negative, was " + retention);
    }
  }

  /**
   * Records the application's submission unless it was recorded before.
   *
   * @return the record this call wrote, if it is the first; empty if it was submitted before
   * @throws TaskTokenStoreUnavailableException if DynamoDB gave no answer we know
   */
  Optional<Recorded> recordFirst(ApplicationReference application) {
    Objects.requireNonNull(application, "'application' must not be null");
    Recorded recorded = new Recorded(application, UUID.randomUUID().toString());
    Instant now = clock.instant();
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(tableName)
                  .item(
                      Map.of(
                          KEY,
                          text(keyOf(application)),
                          RECORDED_BY,
                          text(recorded.recordedBy()),
                          FORGET_AT,
                          number(forgetAtEpochSeconds(now))))
                  .conditionExpression(FIRST_CONDITION)
                  .expressionAttributeNames(Map.of("#key", KEY, "#forgetAt", FORGET_AT))
                  .expressionAttributeValues(Map.of(":nowSeconds", number(now.getEpochSecond())))
                  .returnValuesOnConditionCheckFailure(
                      ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return Optional.of(recorded);
    } catch (ConditionalCheckFailedException e) {
      AttributeValue recordedBy = e.hasItem() ? e.item().get(RECORDED_BY) : null;
      return recordedBy != null && recorded.recordedBy().equals(recordedBy.s())
          ? Optional.of(recorded)
          : Optional.empty();
    } catch (SdkException e) {
      throw TaskTokenStoreUnavailableException.forItem(
          "PutItem (recordSubmission)", tableName, keyOf(application), e);
    }
  }

  /**
   * Deletes a record this call wrote, so that the next submission of the application is the first
   * again. Best effort: a record that cannot be deleted stays, and the next submission is then told
   * that it was submitted before.
   */
  void withdraw(Recorded recorded) {
    Objects.requireNonNull(recorded, "'recorded' must not be null");
    try {
      dynamoDb.deleteItem(
          r ->
              r.tableName(tableName)
                  .key(Map.of(KEY, text(keyOf(recorded.application()))))
                  .conditionExpression("#recordedBy = :recordedBy")
                  .expressionAttributeNames(Map.of("#recordedBy", RECORDED_BY))
                  .expressionAttributeValues(Map.of(":recordedBy", text(recorded.recordedBy()))));
    } catch (ConditionalCheckFailedException e) {
      // gone already, or since rewritten by another call: nothing of ours to delete
    } catch (SdkException e) {
      // best effort: the record stays
    }
  }

  /** The record of an application's first submission, written by one call. */
  record Recorded(ApplicationReference application, String recordedBy) {
    Recorded {
      Objects.requireNonNull(application, "'application' must not be null");
      Objects.requireNonNull(recordedBy, "'recordedBy' must not be null");
    }
  }

  static String keyOf(ApplicationReference application) {
    return KEY_PREFIX + application.value();
  }

  private long forgetAtEpochSeconds(Instant now) {
    Instant forgetAt = now.plus(LONGEST_EXECUTION).plus(retention);
    return forgetAt.getEpochSecond() + (forgetAt.getNano() > 0 ? 1 : 0);
  }

  private static AttributeValue text(String value) {
    return AttributeValue.builder().s(value).build();
  }

  private static AttributeValue number(long value) {
    return AttributeValue.builder().n(Long.toString(value)).build();
  }
}
