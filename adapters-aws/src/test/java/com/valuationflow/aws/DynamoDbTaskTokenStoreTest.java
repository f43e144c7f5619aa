package com.valuationflow.aws;

import static com.valuationflow.domain.testing.ParkedTasks.aParkedTask;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.TaskTokenStore.CallbackOutcome;
import com.valuationflow.domain.port.TaskTokenStore.CallbackResult;
import com.valuationflow.domain.port.TaskTokenStore.ParkOutcome;
import com.valuationflow.domain.port.TaskTokenStoreContract;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
    ParkedTask task =
        aParkedTask().withKey(KEY.value()).withToken(TOKEN.value()).expiringAt(inOneHour()).build();
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
        .containsKey("parkedBy")
        .doesNotContainKeys("valuationReference", "callbackKind", "acceptedBy");
  }

  @Test
  void anAcceptedCallbackIsStoredWithItsOwnNonceAndWhenItWasAccepted() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    store.acceptCallback(KEY, VALUATION);
    String firstNonce = item(KEY).get("acceptedBy").s();

    assertThat(item(KEY))
        .containsEntry("acceptedAtEpochMillis", AttributeValue.fromN("1767225600000"))
        .containsEntry("callbackKind", AttributeValue.fromS("RESULT"));
    assertThat(firstNonce).isNotBlank().isNotEqualTo(item(KEY).get("parkedBy").s());
  }

  @Test
  void aStaleEarlyCallbackIsOverwrittenWhole() {
    parkOneHourTask();
    store.acceptCallback(KEY, ValuationFailure.of("val-wrong", "no access"));
    String staleNonce = item(KEY).get("acceptedBy").s();
    store.recordReference(KEY, REFERENCE);
    clock.advance(Duration.ofSeconds(1));

    store.acceptCallback(KEY, VALUATION);

    assertThat(item(KEY))
        .containsEntry("callbackKind", AttributeValue.fromS("RESULT"))
        .containsEntry("callbackReference", AttributeValue.fromS("val-1"))
        .containsEntry("callbackPropertyValue", AttributeValue.fromN("250000"))
        .containsEntry("acceptedAtEpochMillis", AttributeValue.fromN("1767225601000"))
        .doesNotContainKey("callbackReason");
    assertThat(item(KEY).get("acceptedBy").s()).isNotEqualTo(staleNonce);
  }

  @Test
  void aDiscardedCallbackLeavesNothingOfItself() {
    parkOneHourTask();
    ValuationResult wrong = ValuationResult.of("val-wrong", 1);
    store.acceptCallback(KEY, wrong);
    store.recordReference(KEY, REFERENCE);

    store.discardCallback(KEY, wrong);

    assertThat(item(KEY))
        .doesNotContainKeys(
            "callbackKind",
            "callbackReference",
            "callbackPropertyValue",
            "acceptedBy",
            "acceptedAtEpochMillis");
  }

  @Test
  void markingAnExpiredTaskResumedWritesNothing() {
    parkOneHourTask();
    store.expire(KEY, TOKEN);

    store.markResumed(KEY, TOKEN);

    assertThat(item(KEY))
        .containsEntry("ended", AttributeValue.fromBool(true))
        .containsEntry("resumed", AttributeValue.fromBool(false));
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
    store.markResumed(KEY, TOKEN);
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

    store.markResumed(KEY, TOKEN);

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

    store.expire(KEY, TOKEN);

    assertThat(item(KEY))
        .doesNotContainKey("taskToken")
        .containsEntry("ended", AttributeValue.fromBool(true))
        .containsEntry("resumed", AttributeValue.fromBool(false));
  }

  @Test
  void markingAnUnknownKeyCreatesNoItem() {
    CorrelationKey unknown = CorrelationKey.of("c-unknown");

    store.markResumed(unknown, TOKEN);
    store.expire(unknown, TOKEN);
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
          .hasMessageContainingAll("UpdateItem (park)", "task-tokens", "c-1")
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

  @Test
  void aParkWhoseResponseWasLostIsParkedThoughTheSdksRetryFindsTheItem() throws Exception {
    ParkedTask task =
        aParkedTask().withKey(KEY.value()).withToken(TOKEN.value()).expiringAt(inOneHour()).build();
    try (ResponseDroppingProxy proxy = ResponseDroppingProxy.dropFirst("UpdateItem");
        DynamoDbClient throughProxy = clientThrough(proxy)) {
      TaskTokenStore retrying = new DynamoDbTaskTokenStore(throughProxy, tableName, clock);

      assertThat(retrying.park(task)).isEqualTo(ParkOutcome.PARKED);
      assertThat(proxy.requestsMatched()).as("the first attempt and its retry").isEqualTo(2);
    }
    assertThat(store.recordReference(KEY, REFERENCE))
        .contains(task.withValuationReference(REFERENCE));
  }

  @Test
  void aValuationKeyWhoseWriteLostItsResponseIsTheKeyWritten() throws Exception {
    CorrelationKey proposed = CorrelationKey.random();
    try (ResponseDroppingProxy proxy = ResponseDroppingProxy.dropFirst("PutItem");
        DynamoDbClient throughProxy = clientThrough(proxy)) {
      TaskTokenStore retrying = new DynamoDbTaskTokenStore(throughProxy, tableName, clock);

      assertThat(retrying.valuationKeyFor(APPLICATION, proposed, inOneHour())).isEqualTo(proposed);
      assertThat(proxy.requestsMatched()).as("the first attempt and its retry").isEqualTo(2);
    }
    assertThat(store.valuationKeyFor(APPLICATION, CorrelationKey.random(), inOneHour()))
        .isEqualTo(proposed);
  }

  @Test
  void aCallbackWhoseAcceptanceLostItsResponseIsAcceptedThoughTheSdksRetryFindsIt()
      throws Exception {
    ParkedTask task = parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    try (ResponseDroppingProxy proxy = ResponseDroppingProxy.dropFirst("UpdateItem");
        DynamoDbClient throughProxy = clientThrough(proxy)) {
      TaskTokenStore retrying = new DynamoDbTaskTokenStore(throughProxy, tableName, clock);

      CallbackResult result = retrying.acceptCallback(KEY, VALUATION);

      assertThat(result.outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
      assertThat(result.task().orElseThrow().token()).isEqualTo(task.token());
      assertThat(result.task().orElseThrow().callbackToResumeWith()).contains(VALUATION);
      assertThat(proxy.requestsMatched()).as("the first attempt and its retry").isEqualTo(2);
    }
    assertThat(store.acceptCallback(KEY, VALUATION).outcome())
        .isEqualTo(CallbackOutcome.DUPLICATE_IN_PROGRESS);
  }

  /**
   * The reply names another reference while the callback's response is lost: the retry finds its
   * own callback stale and must not answer ACCEPTED, or the task would resume with it.
   */
  @Test
  void anEarlyCallbackMadeStaleBeforeTheSdksRetryIsNotAccepted() throws Exception {
    parkOneHourTask();
    ValuationResult wrong = ValuationResult.of("val-wrong", 1);
    try (ResponseDroppingProxy proxy =
            ResponseDroppingProxy.dropFirst(
                "UpdateItem", () -> store.recordReference(KEY, REFERENCE));
        DynamoDbClient throughProxy = clientThrough(proxy)) {
      TaskTokenStore retrying = new DynamoDbTaskTokenStore(throughProxy, tableName, clock);

      assertThat(retrying.acceptCallback(KEY, wrong).outcome()).isEqualTo(CallbackOutcome.UNKNOWN);
      assertThat(proxy.requestsMatched()).isEqualTo(2);
    }
    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
  }

  private static DynamoDbClient clientThrough(ResponseDroppingProxy proxy) {
    return AwsClients.forRegion(DynamoDbLocal.REGION)
        .withEndpointOverride(proxy.endpoint())
        .withStaticCredentials("local", "local")
        .newDynamoDbClient();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * A loopback HTTP proxy in front of DynamoDB Local. It forwards every request, one per
   * connection, but of the first request for the given operation it drops the response: DynamoDB
   * has done the write, and the client sees the connection close without an answer and retries.
   * Before it closes that connection, it runs what else is to happen before the retry.
   */
  private static final class ResponseDroppingProxy implements AutoCloseable {

    private static final byte[] END_OF_HEADERS = "\r\n\r\n".getBytes(ISO_8859_1);

    private final String target;
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool();
    private final AtomicInteger matched = new AtomicInteger();
    private final Runnable beforeRetry;

    private ResponseDroppingProxy(String operation, Runnable beforeRetry) throws IOException {
      this.target = "x-amz-target: dynamodb_20120810." + operation.toLowerCase(Locale.ROOT);
      this.beforeRetry = beforeRetry;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      connections.execute(this::acceptConnections);
    }

    static ResponseDroppingProxy dropFirst(String operation) throws IOException {
      return dropFirst(operation, () -> {});
    }

    static ResponseDroppingProxy dropFirst(String operation, Runnable beforeRetry)
        throws IOException {
      return new ResponseDroppingProxy(operation, beforeRetry);
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** How many requests for the operation came through, the dropped one included. */
    int requestsMatched() {
      return matched.get();
    }

    private void acceptConnections() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          connections.execute(() -> serve(client));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket client) {
      try (client) {
        InputStream in = client.getInputStream();
        byte[] head = readHead(in);
        String headers = new String(head, ISO_8859_1);
        byte[] body = in.readNBytes(contentLength(headers));
        boolean drop =
            headers.toLowerCase(Locale.ROOT).contains(target) && matched.incrementAndGet() == 1;
        byte[] response = forward(withConnectionClose(headers), body);
        if (drop) {
          beforeRetry.run();
          return;
        }
        OutputStream out = client.getOutputStream();
        out.write(response);
        out.flush();
      } catch (IOException e) {
        // The client went away; nothing to answer.
      }
    }

    /** Sends the request upstream and reads the whole response, which ends with the connection. */
    private static byte[] forward(String headers, byte[] body) throws IOException {
      URI upstream = DynamoDbLocal.endpoint();
      try (Socket socket = new Socket(upstream.getHost(), upstream.getPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(headers.getBytes(ISO_8859_1));
        out.write(body);
        out.flush();
        String response = new String(socket.getInputStream().readAllBytes(), ISO_8859_1);
        int endOfHeaders = response.indexOf("\r\n\r\n");
        return (withConnectionClose(response.substring(0, endOfHeaders + 4))
                + response.substring(endOfHeaders + 4))
            .getBytes(ISO_8859_1);
      }
    }

    /** The header block with any Connection header replaced by one that closes it. */
    private static String withConnectionClose(String head) {
      StringBuilder rewritten = new StringBuilder();
      for (String line : head.split("\r\n")) {
        if (!line.isEmpty() && !line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
          rewritten.append(line).append("\r\n");
        }
      }
      return rewritten.append("Connection: close\r\n\r\n").toString();
    }

    private static byte[] readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matchedBytes = 0;
      while (matchedBytes < END_OF_HEADERS.length) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("connection closed before the end of the headers");
        }
        head.write(b);
        matchedBytes = b == END_OF_HEADERS[matchedBytes] ? matchedBytes + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toByteArray();
    }

    private static int contentLength(String headers) {
      for (String line : headers.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          return Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      return 0;
    }

    @Override
    public void close() throws IOException {
      server.close();
      connections.shutdownNow();
    }
  }

  /** Only accepted, unsettled callbacks are in the index: it stays as small as they are few. */
  @Test
  void onlyAcceptedUnsettledCallbacksAreInThePendingCallbacksIndex() {
    for (String key : new String[] {"c-parked", "c-accepted", "c-resumed", "c-expired"}) {
      store.park(aParkedTask().withKey(key).withToken("t-" + key).build());
      store.recordReference(CorrelationKey.of(key), REFERENCE);
    }
    for (String key : new String[] {"c-accepted", "c-resumed", "c-expired"}) {
      store.acceptCallback(CorrelationKey.of(key), VALUATION);
    }
    store.markResumed(CorrelationKey.of("c-resumed"), TaskToken.of("t-c-resumed"));
    store.expire(CorrelationKey.of("c-expired"), TaskToken.of("t-c-expired"));

    assertThat(
            dynamoDb
                .scan(r -> r.tableName(tableName).indexName(TaskTokenTable.PENDING_CALLBACKS_INDEX))
                .items())
        .singleElement()
        .satisfies(
            item -> assertThat(item.get(TaskTokenTable.PARTITION_KEY).s()).isEqualTo("c-accepted"));
  }
}
