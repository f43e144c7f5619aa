package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.port.AnsweredWebhooks;
import com.valuationflow.domain.port.AnsweredWebhooksContract;
import com.valuationflow.domain.port.WebhookClaim;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbAnsweredWebhooksTest extends AnsweredWebhooksContract {

  private static DynamoDbClient dynamoDb;

  private String tableName;

  @BeforeAll
  static void connect() {
    dynamoDb = DynamoDbLocal.newClient();
  }

  @AfterAll
  static void disconnect() {
    dynamoDb.close();
  }

  /** The task token table as deployed, time to live off (the tests' clock is behind DynamoDB's). */
  @Override
  protected AnsweredWebhooks createStore(Clock clock, Duration retention, Duration lease) {
    tableName = "task-tokens-" + UUID.randomUUID();
    TaskTokenTable.create(dynamoDb, tableName);
    dynamoDb.updateTimeToLive(
        r ->
            r.tableName(tableName)
                .timeToLiveSpecification(
                    s -> s.attributeName(TaskTokenTable.TTL_ATTRIBUTE).enabled(false)));
    return new DynamoDbAnsweredWebhooks(dynamoDb, tableName, clock, retention, lease);
  }

  private Map<String, AttributeValue> item(String webhookId) {
    return dynamoDb
        .getItem(
            r ->
                r.tableName(tableName)
                    .consistentRead(true)
                    .key(
                        Map.of(
                            TaskTokenTable.PARTITION_KEY,
                            AttributeValue.fromS(DynamoDbAnsweredWebhooks.KEY_PREFIX + webhookId))))
        .item();
  }

  @Test
  void anAnswerLivesBesideTheTokensUnderItsOwnKeyWithTheRetentionAsTimeToLive() {
    WebhookClaim.Claimed claim = (WebhookClaim.Claimed) webhooks.claim(ID, CONTENT);
    webhooks.answer(claim, RESUMED);

    Map<String, AttributeValue> item = item(ID);

    assertThat(item.get(DynamoDbAnsweredWebhooks.FINGERPRINT).s()).isEqualTo(CONTENT.hex());
    assertThat(item.get(DynamoDbAnsweredWebhooks.STATUS).n()).isEqualTo("200");
    assertThat(item.get(DynamoDbAnsweredWebhooks.BODY).s()).isEqualTo(RESUMED.body());
    assertThat(item.get(TaskTokenTable.TTL_ATTRIBUTE).n())
        .isEqualTo(Long.toString(clock.instant().plus(RETENTION).getEpochSecond()));
  }

  @Test
  void anUnreachableTableIsServiceUnavailableNamingTheWebhookId() {
    AnsweredWebhooks missing =
        new DynamoDbAnsweredWebhooks(dynamoDb, "no-such-table", clock, RETENTION, LEASE);

    assertThatThrownBy(() -> missing.claim(ID, CONTENT))
        .isInstanceOf(AnsweredWebhooksUnavailableException.class)
        .hasMessageContaining("no-such-table")
        .hasMessageContaining(ID);
  }
}
