package com.valuationflow.aws;

import static com.valuationflow.domain.testing.ParkedTasks.aParkedTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.TaskTokenStore.CallbackOutcome;
import com.valuationflow.domain.port.TaskTokenStore.ParkOutcome;
import com.valuationflow.domain.port.TaskTokenStoreContract;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbTaskTokenStoreTest extends TaskTokenStoreContract {

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

  /**
   * A table as deployed, but with time to live turned off: DynamoDB Local deletes items by the wall
   * clock, and the tests' clock is far behind it.
   */
  @Override
  protected TaskTokenStore createStore(Clock clock, Duration retention) {
    tableName = "task-tokens-" + UUID.randomUUID();
    TaskTokenTable.create(dynamoDb, tableName);
    dynamoDb.updateTimeToLive(
        r ->
            r.tableName(tableName)
                .timeToLiveSpecification(
                    s -> s.attributeName(TaskTokenTable.TTL_ATTRIBUTE).enabled(false)));
    return new DynamoDbTaskTokenStore(dynamoDb, tableName, clock, retention);
  }

  private Map<String, AttributeValue> item(CorrelationKey key) {
    return dynamoDb
        .getItem(
            r ->
                r.tableName(tableName)
                    .key(Map.of("correlationKey", AttributeValue.fromS(key.value())))
                    .consistentRead(true))
        .item();
  }

  private ParkedTask parkOneHourTask() {
    ParkedTask task = aParkedTask().withKey(KEY.value()).expiringAt(inOneHour()).build();
    assertThat(store.park(task)).isEqualTo(ParkOutcome.PARKED);
    return task;
  }

  private Instant inOneHour() {
    return clock.instant().plus(Duration.ofHours(1));
  }

  @Test
  void storesOneItemWithTheExpiryInMillisAndTimeToLiveAtTheEndOfTheRetention() {
    Instant expiresAt = clock.instant().plus(Duration.ofHours(1)).plusMillis(1);
    store.park(aParkedTask().withKey(KEY.value()).withToken("t-1").expiringAt(expiresAt).build());

    assertThat(item(KEY))
        .containsEntry("taskToken", AttributeValue.fromS("t-1"))
        .containsEntry("applicationReference", AttributeValue.fromS("app-ref"))
        .containsEntry("expiresAtEpochMillis", AttributeValue.fromN("1767229200001"))
        .containsEntry(
            "forgetAtEpochSeconds",
            AttributeValue.fromN(Long.toString(expiresAt.plus(RETENTION).getEpochSecond() + 1)))
        .containsEntry("resumed", AttributeValue.fromBool(false))
        .containsEntry("ended", AttributeValue.fromBool(false))
        .doesNotContainKeys("valuationReference", "callbackKind");
  }

  @Test
  void aTaskPastItsExpiryIsNotReturnedThoughTimeToLiveHasNotDeletedItYet() {
    parkOneHourTask();

    clock.advance(Duration.ofHours(1));

    assertThat(store.recordReference(KEY, REFERENCE)).isEmpty();
    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.LATE);
    assertThat(item(KEY)).containsKey("taskToken").doesNotContainKey("callbackKind");
  }

  @Test
  void aKeyPastItsRetentionIsParkedAgainOverTheItemTimeToLiveHasNotDeletedYet() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    store.acceptCallback(KEY, VALUATION);
    store.markResumed(KEY);
    clock.advance(Duration.ofHours(1).plus(RETENTION).minusMillis(1));
    ParkedTask again =
        aParkedTask().withKey(KEY.value()).withToken("again").expiringAt(inOneHour()).build();

    assertThat(store.park(again)).isEqualTo(ParkOutcome.KEY_ALREADY_IN_USE);

    clock.advance(Duration.ofMillis(1));

    assertThat(store.park(again)).isEqualTo(ParkOutcome.PARKED);
    assertThat(store.recordReference(KEY, REFERENCE))
        .contains(again.withValuationReference(REFERENCE));
  }

  @Test
  void aResumedTaskKeepsItsOutcomeButNotItsToken() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    store.acceptCallback(KEY, VALUATION);

    store.markResumed(KEY);

    assertThat(item(KEY))
        .doesNotContainKey("taskToken")
        .containsEntry("resumed", AttributeValue.fromBool(true))
        .containsEntry("valuationReference", AttributeValue.fromS("val-1"))
        .containsEntry("callbackKind", AttributeValue.fromS("RESULT"))
        .containsEntry("callbackReference", AttributeValue.fromS("val-1"))
        .containsEntry("callbackPropertyValue", AttributeValue.fromN("250000"));
  }

  @Test
  void anExpiredTaskKeepsNoToken() {
    parkOneHourTask();

    store.expire(KEY);

    assertThat(item(KEY))
        .doesNotContainKey("taskToken")
        .containsEntry("ended", AttributeValue.fromBool(true))
        .containsEntry("resumed", AttributeValue.fromBool(false));
  }

  @Test
  void markingAnUnknownKeyCreatesNoItem() {
    CorrelationKey unknown = CorrelationKey.of("c-unknown");

    store.markResumed(unknown);
    store.expire(unknown);
    store.discardCallback(unknown, VALUATION);

    assertThat(item(unknown)).isEmpty();
  }

  @Test
  void propertyValuesAreNumbersComparedByValueNotScale() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    ValuationResult pence = new ValuationResult(REFERENCE, new BigDecimal("250000.50"));

    assertThat(store.acceptCallback(KEY, pence).task().orElseThrow().callback()).contains(pence);
    assertThat(item(KEY)).containsEntry("callbackPropertyValue", AttributeValue.fromN("250000.5"));
    assertThat(
            store
                .acceptCallback(KEY, new ValuationResult(REFERENCE, new BigDecimal("250000.5")))
                .outcome())
        .isEqualTo(CallbackOutcome.DUPLICATE_IN_PROGRESS);

    store.discardCallback(KEY, new ValuationResult(REFERENCE, new BigDecimal("250000.500")));

    assertThat(item(KEY)).doesNotContainKeys("callbackKind", "callbackPropertyValue");
  }

  @Test
  void sdkFailuresSurfaceAsTheAdaptersOwnExceptionWithoutTheToken() throws IOException {
    String token = "secret-token-" + UUID.randomUUID();
    try (DynamoDbClient unreachable =
        AwsClients.forRegion(DynamoDbLocal.REGION)
            .withEndpointOverride(URI.create("http://127.0.0.1:" + closedPort()))
            .withStaticCredentials("local", "local")
            .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500))
            .newDynamoDbClient()) {
      TaskTokenStore broken = new DynamoDbTaskTokenStore(unreachable, "task-tokens", clock);

      assertThatThrownBy(() -> broken.park(aParkedTask().withKey("c-1").withToken(token).build()))
          .isInstanceOf(TaskTokenStoreUnavailableException.class)
          .hasMessageContainingAll("PutItem", "task-tokens", "c-1")
          .satisfies(e -> assertThat(e.toString()).doesNotContain(token))
          .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain(token));
      assertThatThrownBy(() -> broken.acceptCallback(KEY, VALUATION))
          .isInstanceOf(TaskTokenStoreUnavailableException.class)
          .hasMessageContaining("UpdateItem (acceptCallback)");
    }
  }

  @Test
  void anSdkExceptionThatMentionsTheTokenIsNotKeptAsTheCause() {
    TaskToken token = TaskToken.of("secret-token");

    TaskTokenStoreUnavailableException e =
        TaskTokenStoreUnavailableException.of(
            "PutItem (park)",
            "task-tokens",
            KEY,
            SdkClientException.create("could not send secret-token"),
            token);

    assertThat(e).hasMessageNotContaining("secret-token").hasMessageContaining(token.toString());
    assertThat(e.getCause()).isNull();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
