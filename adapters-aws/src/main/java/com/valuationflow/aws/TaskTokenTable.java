package com.valuationflow.aws;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
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
 */
public final class TaskTokenTable {

  public static final String PARTITION_KEY = "correlationKey";
  public static final String TTL_ATTRIBUTE = "forgetAtEpochSeconds";

  private static final Duration WAIT_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration POLL_DELAY = Duration.ofSeconds(2);

  private TaskTokenTable() {}

  /**
   * Creates the table unless it exists, enables its time to live unless enabled, and returns once
   * the table is {@code ACTIVE}. Safe to call on every start-up.
   *
   * @throws IllegalStateException if a table of that name exists with another key or another TTL
   *     attribute
   */
  public static void create(DynamoDbClient dynamoDb, String tableName) {
    Objects.requireNonNull(dynamoDb, "'dynamoDb' must not be null");
    Objects.requireNonNull(tableName, "'tableName' must not be null");
    try {
      dynamoDb.createTable(
          r ->
              r.tableName(tableName)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName(PARTITION_KEY)
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder()
                          .attributeName(PARTITION_KEY)
                          .keyType(KeyType.HASH)
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

  private static void requireKey(TableDescription table) {
    List<KeySchemaElement> expected =
        List.of(
            KeySchemaElement.builder().attributeName(PARTITION_KEY).keyType(KeyType.HASH).build());
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
