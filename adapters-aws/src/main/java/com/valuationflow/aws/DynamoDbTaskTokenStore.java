package com.valuationflow.aws;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.RememberedTask;
import com.valuationflow.domain.port.TaskTokenStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * A {@link TaskTokenStore} in the DynamoDB table that {@link TaskTokenTable} creates: one item per
 * correlation key, and every change one conditional write, so that of concurrent callers on any
 * number of instances exactly one wins. A failed condition is explained by the item DynamoDB
 * returns with the failure, not by a second read.
 *
 * <p>An item whose expiry has passed counts as no longer waiting, whether or not time to live has
 * deleted it yet. Its time to live ({@value TaskTokenTable#TTL_ATTRIBUTE}) is the end of the
 * retention; from then on the key is forgotten and may be parked again. Expiry is kept to the
 * millisecond, rounded down. SDK errors other than failed conditions are thrown as {@link
 * TaskTokenStoreUnavailableException}.
 *
 * <p>The SDK retries a write whose answer was lost, and the retry then fails its own condition. So
 * {@code park} and {@code acceptCallback} write a random nonce of their own with the item ({@value
 * #PARKED_BY}, {@value #ACCEPTED_BY}): a failed condition on an item that carries the caller's
 * nonce means that an earlier attempt of the same call went through.
 *
 * <p>Each application's valuation key is an item of its own, {@value #APPLICATION_KEY_PREFIX}
 * followed by the application reference, written once; a later attempt of a task parks with an
 * {@code UpdateItem} that replaces the token and expiry and keeps what is known of the valuation.
 *
 * <p>An early callback quoting another reference than the one recorded since counts as none: the
 * condition to accept a callback lets the right one overwrite it. {@value #ENDED} marks a task
 * expired before it was resumed; marking it resumed then changes nothing.
 */
public final class DynamoDbTaskTokenStore implements TaskTokenStore {

  /** How long outcomes are remembered after a task's expiry, unless told otherwise. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  static final String KEY = TaskTokenTable.PARTITION_KEY;
  static final String TOKEN = "taskToken";
  static final String APPLICATION_REFERENCE = "applicationReference";
  static final String EXPIRES_AT = TaskTokenTable.EXPIRES_AT;
  static final String FORGET_AT = TaskTokenTable.TTL_ATTRIBUTE;
  static final String VALUATION_REFERENCE = "valuationReference";
  static final String CALLBACK_KIND = "callbackKind";
  static final String CALLBACK_REFERENCE = "callbackReference";
  static final String CALLBACK_PROPERTY_VALUE = "callbackPropertyValue";
  static final String CALLBACK_REASON = "callbackReason";
  static final String ACCEPTED_AT = TaskTokenTable.ACCEPTED_AT;
  static final String PENDING_SHARD = TaskTokenTable.PENDING_SHARD;
  static final String PARKED_BY = "parkedBy";
  static final String ACCEPTED_BY = "acceptedBy";
  static final String RESUMED = "resumed";
  static final String ENDED = "ended";

  static final String RESULT = "RESULT";
  static final String FAILURE = "FAILURE";

  static final String VALUATION_KEY = "valuationKey";
  static final String APPLICATION_KEY_PREFIX = "application#";

  /** A new key, or a task neither resumed nor expired that holds another token. */
  private static final String PARK_CONDITION =
      "attribute_not_exists("
          + KEY
          + ") OR ("
          + RESUMED
          + " = :false AND "
          + ENDED
          + " = :false AND (attribute_not_exists("
          + TOKEN
          + ") OR "
          + TOKEN
          + " <> :"
          + TOKEN
          + "))";

  private static final String PARK_UPDATE =
      "SET "
          + String.join(
              ", ",
              TOKEN + " = :" + TOKEN,
              APPLICATION_REFERENCE + " = :" + APPLICATION_REFERENCE,
              EXPIRES_AT + " = :" + EXPIRES_AT,
              FORGET_AT + " = :" + FORGET_AT,
              PARKED_BY + " = :" + PARKED_BY,
              RESUMED + " = if_not_exists(" + RESUMED + ", :false)",
              ENDED + " = if_not_exists(" + ENDED + ", :false)");

  private static final String FORGOTTEN_CONDITION = EXPIRES_AT + " <= :forgottenIfExpiredBy";
  private static final String HOLDS_NO_OTHER_TOKEN =
      "(attribute_not_exists(" + TOKEN + ") OR " + TOKEN + " = :" + TOKEN + ")";
  private static final String WAITING =
      "attribute_exists(" + TOKEN + ") AND " + EXPIRES_AT + " > :now";
  private static final String RECORD_REFERENCE_CONDITION =
      WAITING + " AND " + referenceAdmits(":" + VALUATION_REFERENCE);

  /** Waiting, the reference admits the callback, and no callback stands but a stale early one. */
  private static final String ACCEPT_CALLBACK_CONDITION =
      WAITING
          + " AND "
          + referenceAdmits(":" + CALLBACK_REFERENCE)
          + " AND (attribute_not_exists("
          + CALLBACK_KIND
          + ") OR (attribute_exists("
          + VALUATION_REFERENCE
          + ") AND "
          + CALLBACK_REFERENCE
          + " <> "
          + VALUATION_REFERENCE
          + "))";

  private static final String DISCARD_CALLBACK_UPDATE =
      "REMOVE "
          + String.join(
              ", ",
              CALLBACK_KIND,
              CALLBACK_REFERENCE,
              CALLBACK_PROPERTY_VALUE,
              CALLBACK_REASON,
              ACCEPTED_BY,
              ACCEPTED_AT,
              PENDING_SHARD);
  private static final String NOT_RESUMED = RESUMED + " = :false";
  private static final String NOT_ENDED = ENDED + " = :false";

  private static final AttributeValue TRUE = AttributeValue.fromBool(true);
  private static final AttributeValue FALSE = AttributeValue.fromBool(false);

  private final DynamoDbClient dynamoDb;
  private final String tableName;
  private final Clock clock;
  private final Duration retention;

  public DynamoDbTaskTokenStore(DynamoDbClient dynamoDb, String tableName, Clock clock) {
    this(dynamoDb, tableName, clock, DEFAULT_RETENTION);
  }

  /**
   * @param retention how long after a task's expiry its outcome is remembered, so that repeated and
   *     late callbacks are told apart from unknown ones
   */
  public DynamoDbTaskTokenStore(
      DynamoDbClient dynamoDb, String tableName, Clock clock, Duration retention) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "'dynamoDb' must not be null");
    this.tableName = Objects.requireNonNull(tableName, "'tableName' must not be null");
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    this.retention = Objects.requireNonNull(retention, "'retention' must not be null");
    if (retention.isNegative()) {
      throw new IllegalArgumentException("'retention' must not be negative, was " + retention);
    }
  }

  @Override
  public CorrelationKey valuationKeyFor(
      ApplicationReference application, CorrelationKey proposed, Instant expiresAt) {
    Objects.requireNonNull(application, "'application' must not be null");
    Objects.requireNonNull(proposed, "'proposed' must not be null");
    Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
    String itemKey = APPLICATION_KEY_PREFIX + application.value();
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(tableName)
                  .item(
                      Map.of(
                          KEY,
                          string(itemKey),
                          VALUATION_KEY,
                          string(proposed.value()),
                          FORGET_AT,
                          number(forgetAtEpochSeconds(expiresAt))))
                  .conditionExpression(
                      "attribute_not_exists(" + KEY + ") OR " + FORGET_AT + " <= :nowSeconds")
                  .expressionAttributeValues(
                      Map.of(":nowSeconds", number(clock.instant().getEpochSecond())))
                  .returnValuesOnConditionCheckFailure(
                      ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return proposed;
    } catch (ConditionalCheckFailedException e) {
      if (!e.hasItem() || e.item().get(VALUATION_KEY) == null) {
        throw new IllegalStateException("the item '" + itemKey + "' holds no " + VALUATION_KEY);
      }
      return CorrelationKey.of(e.item().get(VALUATION_KEY).s());
    } catch (SdkException e) {
      throw TaskTokenStoreUnavailableException.of(
          "PutItem (valuationKeyFor)", tableName, proposed, e);
    }
  }

  @Override
  public ParkOutcome park(ParkedTask task) {
    Objects.requireNonNull(task, "'task' must not be null");
    if (task.valuationReference().isPresent() || task.callback().isPresent()) {
      throw new IllegalArgumentException(
          "a task is parked before anything of its valuation is known");
    }
    String nonce = newNonce();
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":" + TOKEN, string(task.token().value()));
    values.put(":" + APPLICATION_REFERENCE, string(task.applicationReference().value()));
    values.put(":" + EXPIRES_AT, number(task.expiresAt().toEpochMilli()));
    values.put(":" + FORGET_AT, number(forgetAtEpochSeconds(task.expiresAt())));
    values.put(":" + PARKED_BY, string(nonce));
    values.put(":false", FALSE);
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(tableName)
                  .key(keyOf(task.key()))
                  .updateExpression(PARK_UPDATE)
                  .conditionExpression(PARK_CONDITION)
                  .expressionAttributeValues(values)
                  .returnValuesOnConditionCheckFailure(
                      ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return ParkOutcome.PARKED;
    } catch (ConditionalCheckFailedException e) {
      if (carries(e, PARKED_BY, nonce)) {
        return ParkOutcome.PARKED;
      }
      return e.hasItem() && StoredTask.of(e.item()).forgottenAt(clock.instant(), retention)
          ? parkOverForgotten(task)
          : ParkOutcome.KEY_ALREADY_IN_USE;
    } catch (SdkException e) {
      throw TaskTokenStoreUnavailableException.of(
          "UpdateItem (park)", tableName, task.key(), e, task.token());
    }
  }

  /** Parks the task in place of an item whose retention is over (time to live lags). */
  private ParkOutcome parkOverForgotten(ParkedTask task) {
    long now = clock.instant().toEpochMilli();
    String nonce = newNonce();
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(tableName)
                  .item(itemOf(task, nonce))
                  .conditionExpression(FORGOTTEN_CONDITION)
                  .expressionAttributeValues(
                      Map.of(":forgottenIfExpiredBy", number(now - retention.toMillis())))
                  .returnValuesOnConditionCheckFailure(
                      ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return ParkOutcome.PARKED;
    } catch (ConditionalCheckFailedException e) {
      return carries(e, PARKED_BY, nonce) ? ParkOutcome.PARKED : ParkOutcome.KEY_ALREADY_IN_USE;
    } catch (SdkException e) {
      throw TaskTokenStoreUnavailableException.of(
          "PutItem (park)", tableName, task.key(), e, task.token());
    }
  }

  @Override
  public Optional<ParkedTask> waitingTask(CorrelationKey key) {
    Objects.requireNonNull(key, "'key' must not be null");
    Map<String, AttributeValue> item;
    try {
      item =
          dynamoDb.getItem(r -> r.tableName(tableName).key(keyOf(key)).consistentRead(true)).item();
    } catch (SdkException e) {
      throw TaskTokenStoreUnavailableException.of("GetItem (waitingTask)", tableName, key, e);
    }
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    StoredTask stored = StoredTask.of(item);
    return stored.waitingAt(clock.instant()) ? Optional.of(stored.task()) : Optional.empty();
  }

  @Override
  public Optional<ParkedTask> recordReference(CorrelationKey key, ValuationReference reference) {
    Objects.requireNonNull(key, "'key' must not be null");
    Objects.requireNonNull(reference, "'reference' must not be null");
    long now = clock.instant().toEpochMilli();
    try {
      Map<String, AttributeValue> updated =
          dynamoDb
              .updateItem(
                  r ->
                      r.tableName(tableName)
                          .key(keyOf(key))
                          .updateExpression(
                              "SET " + VALUATION_REFERENCE + " = :" + VALUATION_REFERENCE)
                          .conditionExpression(RECORD_REFERENCE_CONDITION)
                          .expressionAttributeValues(
                              Map.of(
                                  ":" + VALUATION_REFERENCE,
                                  string(reference.value()),
                                  ":now",
                                  number(now)))
                          .returnValues(ReturnValue.ALL_NEW))
              .attributes();
      return Optional.of(StoredTask.of(updated).task());
    } catch (ConditionalCheckFailedException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw TaskTokenStoreUnavailableException.of(
          "UpdateItem (recordReference)", tableName, key, e);
    }
  }

  @Override
  public CallbackResult acceptCallback(CorrelationKey key, ValuerCallback callback) {
    Objects.requireNonNull(key, "'key' must not be null");
    Objects.requireNonNull(callback, "'callback' must not be null");
    Instant now = clock.instant();
    String nonce = newNonce();
    CallbackAttributes attributes = CallbackAttributes.of(callback);
    Map<String, AttributeValue> values = attributes.values();
    values.put(":now", number(now.toEpochMilli()));
    values.put(":" + ACCEPTED_BY, string(nonce));
    values.put(":" + PENDING_SHARD, string(TaskTokenTable.pendingShardOf(key.value())));
    try {
      Map<String, AttributeValue> updated =
          dynamoDb
              .updateItem(
                  r ->
                      r.tableName(tableName)
                          .key(keyOf(key))
                          .updateExpression(attributes.acceptExpression())
                          .conditionExpression(ACCEPT_CALLBACK_CONDITION)
                          .expressionAttributeValues(values)
                          .returnValues(ReturnValue.ALL_NEW)
                          .returnValuesOnConditionCheckFailure(
                              ReturnValuesOnConditionCheckFailure.ALL_OLD))
              .attributes();
      return CallbackResult.accepted(StoredTask.of(updated).task());
    } catch (ConditionalCheckFailedException e) {
      return refused(e, callback, nonce, now);
    } catch (SdkException e) {
      throw TaskTokenStoreUnavailableException.of("UpdateItem (acceptCallback)", tableName, key, e);
    }
  }

  /**
   * Why the item, as it stood when the condition failed, refused the callback; unless an earlier
   * attempt of this very call accepted it, and it still stands.
   */
  private CallbackResult refused(
      ConditionalCheckFailedException e, ValuerCallback callback, String nonce, Instant now) {
    if (!e.hasItem() || e.item().isEmpty()) {
      return CallbackResult.of(CallbackOutcome.UNKNOWN);
    }
    StoredTask existing = StoredTask.of(e.item());
    if (existing.forgottenAt(now, retention)) {
      return CallbackResult.of(CallbackOutcome.UNKNOWN);
    }
    RememberedTask remembered = existing.remembered(now);
    if (carries(e, ACCEPTED_BY, nonce)
        && remembered.waiting()
        && remembered.standingCallback().isPresent()) {
      return CallbackResult.accepted(existing.task());
    }
    CallbackOutcome outcome = remembered.judge(callback);
    if (outcome == CallbackOutcome.ACCEPTED) {
      throw new IllegalStateException(
          "the item for key '"
              + existing.key()
              + "' failed the condition to accept a callback it admits");
    }
    return outcome == CallbackOutcome.DUPLICATE_IN_PROGRESS
        ? CallbackResult.inProgress(existing.task())
        : CallbackResult.of(outcome);
  }

  /**
   * Whether the item returned with a failed condition carries the nonce: our write went through.
   */
  private static boolean carries(
      ConditionalCheckFailedException e, String attribute, String nonce) {
    return e.hasItem()
        && e.item().get(attribute) != null
        && nonce.equals(e.item().get(attribute).s());
  }

  private static String newNonce() {
    return UUID.randomUUID().toString();
  }

  @Override
  public void discardCallback(CorrelationKey key, ValuerCallback callback) {
    Objects.requireNonNull(key, "'key' must not be null");
    Objects.requireNonNull(callback, "'callback' must not be null");
    CallbackAttributes attributes = CallbackAttributes.of(callback);
    Map<String, AttributeValue> values = attributes.values();
    values.put(":false", FALSE);
    update(
        "discardCallback",
        key,
        DISCARD_CALLBACK_UPDATE,
        NOT_RESUMED + " AND " + attributes.matchCondition(),
        values);
  }

  @Override
  public void markResumed(CorrelationKey key, TaskToken token) {
    settle("markResumed", key, token, RESUMED, NOT_ENDED);
  }

  @Override
  public void expire(CorrelationKey key, TaskToken token) {
    settle("expire", key, token, ENDED, NOT_RESUMED);
  }

  /**
   * Sets the flag and lets the token and the pending mark go, if the item still holds this token
   * (or none) and the other ending has not happened.
   */
  private void settle(
      String operation, CorrelationKey key, TaskToken token, String flag, String notOtherwise) {
    Objects.requireNonNull(key, "'key' must not be null");
    Objects.requireNonNull(token, "'token' must not be null");
    update(
        operation,
        key,
        "SET " + flag + " = :true REMOVE " + TOKEN + ", " + PENDING_SHARD,
        notOtherwise + " AND " + HOLDS_NO_OTHER_TOKEN,
        Map.of(":true", TRUE, ":false", FALSE, ":" + TOKEN, string(token.value())));
  }

  /**
   * Queries each shard of the {@value TaskTokenTable#PENDING_CALLBACKS_INDEX} index, which holds
   * only accepted callbacks whose task is not settled, for those accepted before the instant and
   * not expired; then reads each such item consistently (the index lags the table) and keeps those
   * that are stranded still. No scan: the work grows with the unsettled callbacks, not the table.
   */
  @Override
  public List<ParkedTask> strandedCallbacks(Instant acceptedBefore, int limit) {
    Objects.requireNonNull(acceptedBefore, "'acceptedBefore' must not be null");
    if (limit < 1) {
      throw new IllegalArgumentException("'limit' must be positive, was " + limit);
    }
    Instant now = clock.instant();
    List<ParkedTask> stranded = new ArrayList<>();
    for (int shard = 0; shard < TaskTokenTable.PENDING_SHARDS && stranded.size() < limit; shard++) {
      String shardValue = "pending#" + shard;
      Map<String, AttributeValue> startKey = null;
      do {
        QueryResponse page = queryPendingShard(shardValue, acceptedBefore, now, limit, startKey);
        for (Map<String, AttributeValue> indexed : page.items()) {
          if (stranded.size() == limit) {
            break;
          }
          strandedStill(CorrelationKey.of(indexed.get(KEY).s()), acceptedBefore, now)
              .ifPresent(stranded::add);
        }
        startKey = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
      } while (startKey != null && !startKey.isEmpty() && stranded.size() < limit);
    }
    return stranded;
  }

  private QueryResponse queryPendingShard(
      String shard,
      Instant acceptedBefore,
      Instant now,
      int limit,
      Map<String, AttributeValue> startKey) {
    try {
      return dynamoDb.query(
          r ->
              r.tableName(tableName)
                  .indexName(TaskTokenTable.PENDING_CALLBACKS_INDEX)
                  .keyConditionExpression(
                      PENDING_SHARD + " = :shard AND " + ACCEPTED_AT + " < :acceptedBefore")
                  .filterExpression(EXPIRES_AT + " > :now")
                  .expressionAttributeValues(
                      Map.of(
                          ":shard",
                          string(shard),
                          ":acceptedBefore",
                          number(acceptedBefore.toEpochMilli()),
                          ":now",
                          number(now.toEpochMilli())))
                  .limit(limit)
                  .exclusiveStartKey(startKey));
    } catch (SdkException e) {
      throw TaskTokenStoreUnavailableException.of(
          "Query (strandedCallbacks, " + shard + ")", tableName, null, e);
    }
  }

  /** The task under the key as it stands now, if its callback is stranded still. */
  private Optional<ParkedTask> strandedStill(
      CorrelationKey key, Instant acceptedBefore, Instant now) {
    Map<String, AttributeValue> item;
    try {
      item =
          dynamoDb.getItem(r -> r.tableName(tableName).key(keyOf(key)).consistentRead(true)).item();
    } catch (SdkException e) {
      throw TaskTokenStoreUnavailableException.of("GetItem (strandedCallbacks)", tableName, key, e);
    }
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    StoredTask stored = StoredTask.of(item);
    if (stored.resumed()
        || !stored.waitingAt(now)
        || stored.acceptedAt().filter(acceptedBefore::isAfter).isEmpty()) {
      return Optional.empty();
    }
    ParkedTask task = stored.task();
    return task.callbackToResumeWith().isPresent() ? Optional.of(task) : Optional.empty();
  }

  /** A conditional update whose failed condition means there is nothing to change. */
  private void update(
      String operation,
      CorrelationKey key,
      String updateExpression,
      String condition,
      Map<String, AttributeValue> values) {
    try {
      dynamoDb.updateItem(
          r ->
              r.tableName(tableName)
                  .key(keyOf(key))
                  .updateExpression(updateExpression)
                  .conditionExpression(condition)
                  .expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException e) {
      // Nothing under the key, or nothing to change.
    } catch (SdkException e) {
      throw TaskTokenStoreUnavailableException.of(
          "UpdateItem (" + operation + ")", tableName, key, e);
    }
  }

  private Map<String, AttributeValue> itemOf(ParkedTask task, String nonce) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PARKED_BY, string(nonce));
    item.put(KEY, string(task.key().value()));
    item.put(TOKEN, string(task.token().value()));
    item.put(APPLICATION_REFERENCE, string(task.applicationReference().value()));
    item.put(EXPIRES_AT, number(task.expiresAt().toEpochMilli()));
    item.put(FORGET_AT, number(forgetAtEpochSeconds(task.expiresAt())));
    task.valuationReference().ifPresent(r -> item.put(VALUATION_REFERENCE, string(r.value())));
    task.callback()
        .ifPresent(callback -> item.putAll(CallbackAttributes.of(callback).attributes()));
    task.acceptedAt()
        .ifPresent(
            at -> {
              item.put(ACCEPTED_AT, number(at.toEpochMilli()));
              item.put(PENDING_SHARD, string(TaskTokenTable.pendingShardOf(task.key().value())));
            });
    item.put(RESUMED, FALSE);
    item.put(ENDED, FALSE);
    return item;
  }

  /** The end of the retention, rounded up to the second so that TTL never deletes early. */
  private long forgetAtEpochSeconds(Instant expiresAt) {
    Instant forgetAt = Instant.ofEpochMilli(expiresAt.toEpochMilli()).plus(retention);
    return forgetAt.getEpochSecond() + (forgetAt.getNano() > 0 ? 1 : 0);
  }

  private static String referenceAdmits(String placeholder) {
    return "(attribute_not_exists("
        + VALUATION_REFERENCE
        + ") OR "
        + VALUATION_REFERENCE
        + " = "
        + placeholder
        + ")";
  }

  private static Map<String, AttributeValue> keyOf(CorrelationKey key) {
    return Map.of(KEY, string(key.value()));
  }

  private static AttributeValue string(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /**
   * A callback's attributes, and the expressions that set them or test for them.
   *
   * @param absent the attribute of the other kind of callback, which the callback replaces
   */
  private record CallbackAttributes(Map<String, AttributeValue> attributes, String absent) {

    static CallbackAttributes of(ValuerCallback callback) {
      Map<String, AttributeValue> attributes = new LinkedHashMap<>();
      attributes.put(CALLBACK_REFERENCE, string(callback.valuationReference().value()));
      if (callback instanceof ValuationResult result) {
        attributes.put(CALLBACK_KIND, string(RESULT));
        attributes.put(
            CALLBACK_PROPERTY_VALUE, AttributeValue.fromN(result.propertyValue().toPlainString()));
        return new CallbackAttributes(attributes, CALLBACK_REASON);
      }
      if (callback instanceof ValuationFailure failure) {
        attributes.put(CALLBACK_KIND, string(FAILURE));
        attributes.put(CALLBACK_REASON, string(failure.reason()));
        return new CallbackAttributes(attributes, CALLBACK_PROPERTY_VALUE);
      }
      throw new IllegalArgumentException(
          "unknown kind of callback: " + callback.getClass().getName());
    }

    /**
     * Sets the callback, who accepted it ({@code :acceptedBy}) and when ({@code :now}), over any
     * stale callback; and its shard of the pending callbacks index ({@code :pendingShard}).
     */
    String acceptExpression() {
      return "SET "
          + join(", ")
          + ", "
          + ACCEPTED_BY
          + " = :"
          + ACCEPTED_BY
          + ", "
          + ACCEPTED_AT
          + " = :now, "
          + PENDING_SHARD
          + " = :"
          + PENDING_SHARD
          + " REMOVE "
          + absent;
    }

    String matchCondition() {
      return join(" AND ");
    }

    /** The values, under placeholders named {@code :<attribute>}. */
    Map<String, AttributeValue> values() {
      Map<String, AttributeValue> values = new HashMap<>();
      attributes.forEach((name, value) -> values.put(":" + name, value));
      return values;
    }

    private String join(String separator) {
      return attributes.keySet().stream()
          .map(name -> name + " = :" + name)
          .collect(Collectors.joining(separator));
    }
  }

  /** One item as read back; {@code token} is empty once the task was resumed or stopped waiting. */
  private record StoredTask(
      CorrelationKey key,
      Optional<TaskToken> token,
      ApplicationReference applicationReference,
      Instant expiresAt,
      Optional<ValuationReference> valuationReference,
      Optional<ValuerCallback> callback,
      Optional<Instant> acceptedAt,
      boolean resumed) {

    static StoredTask of(Map<String, AttributeValue> item) {
      CorrelationKey key = CorrelationKey.of(required(item, KEY, null).s());
      return new StoredTask(
          key,
          Optional.ofNullable(item.get(TOKEN)).map(v -> TaskToken.of(v.s())),
          ApplicationReference.of(required(item, APPLICATION_REFERENCE, key).s()),
          Instant.ofEpochMilli(Long.parseLong(required(item, EXPIRES_AT, key).n())),
          Optional.ofNullable(item.get(VALUATION_REFERENCE)).map(v -> ValuationReference.of(v.s())),
          Optional.ofNullable(item.get(CALLBACK_KIND)).map(kind -> callback(kind.s(), item, key)),
          Optional.ofNullable(item.get(CALLBACK_KIND))
              .flatMap(kind -> Optional.ofNullable(item.get(ACCEPTED_AT)))
              .map(at -> Instant.ofEpochMilli(Long.parseLong(at.n()))),
          Optional.ofNullable(item.get(RESUMED)).map(AttributeValue::bool).orElse(false));
    }

    private static ValuerCallback callback(
        String kind, Map<String, AttributeValue> item, CorrelationKey key) {
      ValuationReference reference =
          ValuationReference.of(required(item, CALLBACK_REFERENCE, key).s());
      if (RESULT.equals(kind)) {
        return new ValuationResult(
            reference, new BigDecimal(required(item, CALLBACK_PROPERTY_VALUE, key).n()));
      }
      if (FAILURE.equals(kind)) {
        return new ValuationFailure(reference, required(item, CALLBACK_REASON, key).s());
      }
      throw new IllegalStateException(
          "the item for key '" + key + "' has an unknown " + CALLBACK_KIND + " '" + kind + "'");
    }

    private static AttributeValue required(
        Map<String, AttributeValue> item, String attribute, CorrelationKey key) {
      AttributeValue value = item.get(attribute);
      if (value == null) {
        throw new IllegalStateException(
            "the item" + (key == null ? "" : " for key '" + key + "'") + " has no " + attribute);
      }
      return value;
    }

    boolean waitingAt(Instant now) {
      return token.isPresent() && now.isBefore(expiresAt);
    }

    boolean forgottenAt(Instant now, Duration retention) {
      return !now.isBefore(expiresAt.plus(retention));
    }

    RememberedTask remembered(Instant now) {
      return new RememberedTask(valuationReference, callback, resumed, waitingAt(now));
    }

    ParkedTask task() {
      return new ParkedTask(
          key,
          token.orElseThrow(
              () -> new IllegalStateException("the item for key '" + key + "' holds no token")),
          applicationReference,
          expiresAt,
          valuationReference,
          callback,
          acceptedAt);
    }
  }
}
