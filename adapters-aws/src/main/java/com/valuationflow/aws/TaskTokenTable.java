package com.valuationflow.aws;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * The DynamoDB table of parked task tokens: partition key {@value #PARTITION_KEY} (string),
 * on-demand capacity, and time to live on {@value #TTL_ATTRIBUTE} (epoch seconds: when an item may
 * be forgotten). TTL deletes items only within about two days of that time, so readers must still
 * check expiry.
 *
 * <p>A sparse global secondary index, {@value #PENDING_CALLBACKS_INDEX}, holds the items whose
 * callback was accepted and whose task is not settled yet: only they carry {@value #PENDING_SHARD}
 * (one of {@value #PENDING_SHARDS} values, so that no one index partition takes every write), and
 * the index sorts them by {@value #ACCEPTED_AT}. It projects the keys and {@value #EXPIRES_AT}.
 */
public final class TaskTokenTable {

  public static final String PARTITION_KEY = "correlationKey";
  public static final String TTL_ATTRIBUTE = "forgetAtEpochSeconds";

  /** The index of accepted callbacks whose task is not settled yet. */
  public static final String PENDING_CALLBACKS_INDEX = "pendingCallbacks";

  /** The index's partition key (string): set while a callback is accepted and unsettled. */
  public static final String PENDING_SHARD = "pendingShard";

  /** The index's sort key (number): when the callback was accepted, epoch milliseconds. */
  public static final String ACCEPTED_AT = "acceptedAtEpochMillis";

  /** Projected into the index: when the task expires, epoch milliseconds. */
  public static final String EXPIRES_AT = "expiresAtEpochMillis";

  /** How many values {@value #PENDING_SHARD} takes: {@code pending#0} and so on. */
  public static final int PENDING_SHARDS = 4;

  private static final Duration WAIT_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration POLL_DELAY = Duration.ofSeconds(2);

  private TaskTokenTable() {}

  /**
   * Creates the table unless it exists, enables its time to live unless enabled, and returns once
   * the table is {@code ACTIVE}. Safe to call on every start-up.
   *
   * @throws IllegalStateException if a table of that name exists with another key, without the
   *     {@value #PENDING_CALLBACKS_INDEX} index, or with another TTL attribute
   */
  public static void create(DynamoDbClient dynamoDb, String tableName) {
    Objects.requireNonNull(dynamoDb, "'dynamoDb' must not be null");
    Objects.requireNonNull(tableName, "'tableName' must not be null");
    try {
      dynamoDb.createTable(
          r ->
              r.tableName(tableName)
                  .attributeDefinitions(
                      attribute(PARTITION_KEY, ScalarAttributeType.S),
                      attribute(PENDING_SHARD, ScalarAttributeType.S),
                      attribute(ACCEPTED_AT, ScalarAttributeType.N))
                  .keySchema(key(PARTITION_KEY, KeyType.HASH))
                  .globalSecondaryIndexes(
                      GlobalSecondaryIndex.builder()
                          .indexName(PENDING_CALLBACKS_INDEX)
                          .keySchema(pendingCallbacksKey())
                          .projection(
                              Projection.builder()
                                  .projectionType(ProjectionType.INCLUDE)
                                  .nonKeyAttributes(EXPIRES_AT)
                                  .build())
                          .build())
                  .billingMode(BillingMode.PAY_PER_REQUEST));
    } catch (ResourceInUseException alreadyExists) {
      // Created before, or being created: the wait below covers both.
    }
    TableDescription table;
    try (DynamoDbWaiter waiter = dynamoDb.waiter()) {
      table =
          waiter
              .waitUntilTableExists(
                  r -> r.tableName(tableName),
                  o ->
                      o.waitTimeout(WAIT_TIMEOUT)
                          .backoffStrategyV2(BackoffStrategy.fixedDelay(POLL_DELAY)))
              .matched()
              .response()
              .orElseThrow(
                  () ->
                      new IllegalStateException("table '" + tableName + "' did not become active"))
              .table();
    }
    requireKey(table);
    enableTimeToLive(dynamoDb, tableName);
  }

  /** The {@value #PENDING_CALLBACKS_INDEX} index's key: shard, then when accepted. */
  public static List<KeySchemaElement> pendingCallbacksKey() {
    return List.of(key(PENDING_SHARD, KeyType.HASH), key(ACCEPTED_AT, KeyType.RANGE));
  }

  /** The shard of the {@value #PENDING_CALLBACKS_INDEX} index an item of this key goes to. */
  static String pendingShardOf(String correlationKey) {
    return "pending#" + Math.floorMod(correlationKey.hashCode(), PENDING_SHARDS);
  }

  private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static void requireKey(TableDescription table) {
    List<KeySchemaElement> expected = List.of(key(PARTITION_KEY, KeyType.HASH));
    if (!expected.equals(table.keySchema())) {
      throw new IllegalStateException(
          "table '"
              + table.tableName()
              + "' exists with key "
              + table.keySchema()
              + "; expected partition key '"
              + PARTITION_KEY
              + "' only");
    }
    boolean hasIndex =
        table.globalSecondaryIndexes().stream()
            .filter(index -> PENDING_CALLBACKS_INDEX.equals(index.indexName()))
            .map(GlobalSecondaryIndexDescription::keySchema)
            .anyMatch(pendingCallbacksKey()::equals);
    if (!hasIndex) {
      throw new IllegalStateException(
          "table '"
              + table.tableName()
              + "' has no index '"
              + PENDING_CALLBACKS_INDEX
              + "' keyed by "
              + PENDING_SHARD
              + " and "
              + ACCEPTED_AT
              + ", by which stranded callbacks are found");
    }
  }

  private static void enableTimeToLive(DynamoDbClient dynamoDb, String tableName) {
    TimeToLiveDescription ttl =
        dynamoDb.describeTimeToLive(r -> r.tableName(tableName)).timeToLiveDescription();
    TimeToLiveStatus status = ttl == null ? null : ttl.timeToLiveStatus();
    if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
      if (!TTL_ATTRIBUTE.equals(ttl.attributeName())) {
        throw new IllegalStateException(
            "table '"
                + tableName
                + "' has time to live on '"
                + ttl.attributeName()
                + "'; expected '"
                + TTL_ATTRIBUTE
                + "'");
      }
      return;
    }
    dynamoDb.updateTimeToLive(
        r ->
            r.tableName(tableName)
                .timeToLiveSpecification(s -> s.attributeName(TTL_ATTRIBUTE).enabled(true)));
  }
}
