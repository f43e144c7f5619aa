package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

@ExtendWith(DynamoDbLocal.class)
class TaskTokenTableTest {

  @Test
  void createsAnActiveOnDemandTableKeyedByCorrelationKeyWithTimeToLive(DynamoDbClient dynamoDb) {
    TaskTokenTable.create(dynamoDb, "task-tokens-1");

    TableDescription table = dynamoDb.describeTable(r -> r.tableName("task-tokens-1")).table();
    assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
    assertThat(table.keySchema())
        .containsExactly(
            KeySchemaElement.builder()
                .attributeName("correlationKey")
                .keyType(KeyType.HASH)
                .build());
    assertThat(table.attributeDefinitions())
        .containsExactlyInAnyOrder(
            AttributeDefinition.builder()
                .attributeName("correlationKey")
                .attributeType(ScalarAttributeType.S)
                .build(),
            AttributeDefinition.builder()
                .attributeName("pendingShard")
                .attributeType(ScalarAttributeType.S)
                .build(),
            AttributeDefinition.builder()
                .attributeName("acceptedAtEpochMillis")
                .attributeType(ScalarAttributeType.N)
                .build());
    assertThat(table.globalSecondaryIndexes())
        .singleElement()
        .satisfies(
            index -> {
              assertThat(index.indexName()).isEqualTo("pendingCallbacks");
              assertThat(index.keySchema())
                  .containsExactly(
                      KeySchemaElement.builder()
                          .attributeName("pendingShard")
                          .keyType(KeyType.HASH)
                          .build(),
                      KeySchemaElement.builder()
                          .attributeName("acceptedAtEpochMillis")
                          .keyType(KeyType.RANGE)
                          .build());
              assertThat(index.projection().projectionType()).isEqualTo(ProjectionType.INCLUDE);
              assertThat(index.projection().nonKeyAttributes())
                  .containsExactly("expiresAtEpochMillis");
            });
    assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    TimeToLiveDescription ttl =
        dynamoDb.describeTimeToLive(r -> r.tableName("task-tokens-1")).timeToLiveDescription();
    assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    assertThat(ttl.attributeName()).isEqualTo("forgetAtEpochSeconds");
  }

  @Test
  void canBeCalledOnEveryStartUp(DynamoDbClient dynamoDb) {
    TaskTokenTable.create(dynamoDb, "task-tokens-2");
    TaskTokenTable.create(dynamoDb, "task-tokens-2");

    assertThat(dynamoDb.describeTable(r -> r.tableName("task-tokens-2")).table().tableStatus())
        .isEqualTo(TableStatus.ACTIVE);
  }

  @Test
  void refusesATableOfThatNameWithAnotherKey(DynamoDbClient dynamoDb) {
    dynamoDb.createTable(
        r ->
            r.tableName("task-tokens-3")
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("id")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(
                    KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));

    assertThatThrownBy(() -> TaskTokenTable.create(dynamoDb, "task-tokens-3"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("correlationKey");
  }

  @Test
  void refusesATableOfThatNameWithoutThePendingCallbacksIndex(DynamoDbClient dynamoDb) {
    dynamoDb.createTable(
        r ->
            r.tableName("task-tokens-4")
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("correlationKey")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(
                    KeySchemaElement.builder()
                        .attributeName("correlationKey")
                        .keyType(KeyType.HASH)
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST));

    assertThatThrownBy(() -> TaskTokenTable.create(dynamoDb, "task-tokens-4"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pendingCallbacks");
  }
}
