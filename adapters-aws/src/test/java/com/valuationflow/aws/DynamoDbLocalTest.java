package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@ExtendWith(DynamoDbLocal.class)
class DynamoDbLocalTest {

  @Test
  void servesTheDynamoDbApiOverHttpOnLoopback(DynamoDbClient dynamoDb) {
    assertThat(DynamoDbLocal.endpoint().getHost()).isEqualTo("127.0.0.1");
    dynamoDb.createTable(
        r ->
            r.tableName("smoke")
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("id")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(
                    KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
    Map<String, AttributeValue> item =
        Map.of(
            "id", AttributeValue.fromS("key-1"),
            "value", AttributeValue.fromN("42"));

    dynamoDb.putItem(r -> r.tableName("smoke").item(item));

    assertThat(
            dynamoDb
                .getItem(
                    r ->
                        r.tableName("smoke")
                            .key(Map.of("id", AttributeValue.fromS("key-1")))
                            .consistentRead(true))
                .item())
        .isEqualTo(item);
  }
}
