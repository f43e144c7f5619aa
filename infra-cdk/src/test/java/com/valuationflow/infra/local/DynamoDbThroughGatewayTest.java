package com.valuationflow.infra.local;

import static com.valuationflow.infra.local.LocalAwsFixture.APP;
import static com.valuationflow.infra.local.LocalAwsFixture.APP_KEY;
import static com.valuationflow.infra.local.LocalAwsFixture.READER;
import static com.valuationflow.infra.local.LocalAwsFixture.READER_KEY;
import static com.valuationflow.infra.local.LocalAwsFixture.UNKNOWN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** DynamoDB requests through the gateway, authorized per table and forwarded to DynamoDB Local. */
class DynamoDbThroughGatewayTest {

  private static final String TABLE = "TaskTokens";
  private static final String TABLE_ARN = "arn:aws:dynamodb:eu-west-2:123456789012:table/" + TABLE;

  private static DynamoDBProxyServer dynamoDbLocal;
  private static URI dynamoDbEndpoint;
  private static LocalAwsFixture aws;
  private static DynamoDbClient app;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    dynamoDbLocal =
        ServerRunner.createServerFromCommandLineArgs(
            new String[] {
              "-inMemory", "-sharedDb", "-disableTelemetry", "-port", String.valueOf(port)
            });
    dynamoDbLocal.start();
    dynamoDbEndpoint = URI.create("http://127.0.0.1:" + port);
    aws = new LocalAwsFixture(dynamoDbEndpoint);
    app = aws.dynamoDb(APP_KEY);
    app.createTable(
        r ->
            r.tableName(TABLE)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(
                    a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    aws.close();
    dynamoDbLocal.stop();
  }

  @Test
  void itemsArePutAndReadBackByAnotherPrincipal() {
    aws.authorizer.clear();
    app.putItem(r -> r.tableName(TABLE).item(Map.of("id", s("a"), "value", s("1"))));

    Map<String, AttributeValue> item;
    try (DynamoDbClient reader = aws.dynamoDb(READER_KEY)) {
      item = reader.getItem(r -> r.tableName(TABLE).key(Map.of("id", s("a")))).item();
    }

    assertThat(item).containsEntry("value", s("1"));
    assertThat(aws.authorizer.decisions())
        .containsExactly(
            APP + " dynamodb:PutItem " + TABLE_ARN, READER + " dynamodb:GetItem " + TABLE_ARN);
  }

  @Test
  void aConditionalPutThatFailsIsTheServiceError() {
    app.putItem(r -> r.tableName(TABLE).item(Map.of("id", s("b"))));

    assertThatThrownBy(
            () ->
                app.putItem(
                    r ->
                        r.tableName(TABLE)
                            .item(Map.of("id", s("b")))
                            .conditionExpression("attribute_not_exists(id)")))
        .isInstanceOf(ConditionalCheckFailedException.class);
  }

  @Test
  void aPrincipalWithoutTheGrantIsDeniedBeforeDynamoDbSeesTheRequest() {
    try (DynamoDbClient reader = aws.dynamoDb(READER_KEY)) {
      assertThatThrownBy(() -> reader.putItem(r -> r.tableName(TABLE).item(Map.of("id", s("c")))))
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains(READER, "dynamodb:PutItem", TABLE_ARN);
              });
    }
    assertThat(app.getItem(r -> r.tableName(TABLE).key(Map.of("id", s("c")))).hasItem()).isFalse();
  }

  @Test
  void anUnknownKeyIsAnUnrecognizedClient() {
    try (DynamoDbClient stranger = aws.dynamoDb(UNKNOWN_KEY)) {
      assertThatThrownBy(() -> stranger.listTables())
          .isInstanceOfSatisfying(
              DynamoDbException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("UnrecognizedClientException");
                assertThat(e.statusCode()).isEqualTo(400);
              });
    }
  }

  @Test
  void transactionsAndBatchesAreAuthorizedPerItemAndTable() {
    aws.authorizer.clear();
    app.transactWriteItems(
        r ->
            r.transactItems(
                t -> t.put(p -> p.tableName(TABLE).item(Map.of("id", s("t1")))),
                t ->
                    t.conditionCheck(
                        c ->
                            c.tableName(TABLE)
                                .key(Map.of("id", s("a")))
                                .conditionExpression("attribute_exists(id)"))));
    app.batchWriteItem(
        r ->
            r.requestItems(
                Map.of(
                    TABLE,
                    java.util.List.of(
                        software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                            .putRequest(p -> p.item(Map.of("id", s("b1"))))
                            .build()))));

    assertThat(aws.authorizer.decisions())
        .containsExactly(
            APP + " dynamodb:PutItem " + TABLE_ARN,
            APP + " dynamodb:ConditionCheckItem " + TABLE_ARN,
            APP + " dynamodb:BatchWriteItem " + TABLE_ARN);
    assertThat(app.getItem(r -> r.tableName(TABLE).key(Map.of("id", s("b1")))).hasItem()).isTrue();
  }

  @Test
  void aThrottledPrincipalGetsDynamoDbsThrottlingAnswerForTheDurationOnly() throws Exception {
    try (DynamoDbClient reader = aws.dynamoDb(READER_KEY)) {
      aws.faults.throttleDynamoDb(APP, Duration.ofMillis(700));

      assertThatThrownBy(() -> app.putItem(r -> r.tableName(TABLE).item(Map.of("id", s("th")))))
          .isInstanceOfSatisfying(
              ProvisionedThroughputExceededException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.isThrottlingException())
                    .as("throttling, as the SDK retries it")
                    .isTrue();
                assertThat(e.throttlingReasons())
                    .singleElement()
                    .satisfies(
                        reason -> {
                          assertThat(reason.reason())
                              .isEqualTo("TableWriteKeyRangeThroughputExceeded");
                          assertThat(reason.resource()).isEqualTo(TABLE_ARN);
                        });
              });
      assertThat(reader.getItem(r -> r.tableName(TABLE).key(Map.of("id", s("th")))).hasItem())
          .as("another principal is not throttled, and the put never reached the table")
          .isFalse();
      assertThat(aws.faults.throttledRequests()).isEqualTo(1);

      Thread.sleep(800);
      app.putItem(r -> r.tableName(TABLE).item(Map.of("id", s("th"))));
      assertThat(reader.getItem(r -> r.tableName(TABLE).key(Map.of("id", s("th")))).hasItem())
          .isTrue();
    } finally {
      aws.faults.clear();
    }
  }

  @Test
  void answersComeBackAsDynamoDbLocalGaveThem() {
    String body = "{\"TableName\": \"" + TABLE + "\"}";
    HttpResponse<String> viaGateway =
        RawAws.post(
            aws.gateway.endpoint(),
            "DynamoDB_20120810.DescribeTable",
            RawAws.authorization(APP_KEY, "dynamodb"),
            body);
    HttpResponse<String> direct =
        RawAws.post(
            dynamoDbEndpoint,
            "DynamoDB_20120810.DescribeTable",
            RawAws.authorization(APP_KEY, "dynamodb"),
            body);

    assertThat(viaGateway.statusCode()).isEqualTo(200);
    assertThat(viaGateway.body()).isEqualTo(direct.body());
    assertThat(viaGateway.headers().firstValue("x-amz-crc32"))
        .isEqualTo(direct.headers().firstValue("x-amz-crc32"))
        .isPresent();
    HttpResponse<String> malformed =
        RawAws.post(
            aws.gateway.endpoint(),
            "DynamoDB_20120810.GetItem",
            RawAws.authorization(APP_KEY, "dynamodb"),
            "{not json");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("SerializationException");
  }

  @Test
  void aGzippedChunkedBodyIsForwardedDecoded() throws IOException {
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
      out.write(("{\"TableName\": \"" + TABLE + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> response =
        RawAws.send(
            RawAws.request(
                    aws.gateway.endpoint(),
                    "DynamoDB_20120810.DescribeTable",
                    RawAws.authorization(APP_KEY, "dynamodb"))
                .header("Content-Encoding", "gzip")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(gzipped.toByteArray())))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"TableArn\"", TABLE);
  }

  @Test
  void grantsNameTablesIndexesAndTableArns() throws IOException {
    DynamoDbGrants grants = new DynamoDbGrants("eu-west-2", "123456789012");
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();

    assertThat(grants.of("Query", json.readTree("{\"TableName\":\"T\",\"IndexName\":\"ByRef\"}")))
        .containsExactly(
            new DynamoDbGrants.Grant(
                "dynamodb:Query", "arn:aws:dynamodb:eu-west-2:123456789012:table/T/index/ByRef"));
    assertThat(grants.of("ListTables", json.readTree("{}")))
        .containsExactly(new DynamoDbGrants.Grant("dynamodb:ListTables", "*"));
    assertThat(grants.of("GetItem", json.readTree("{\"TableName\":\"" + TABLE_ARN + "\"}")))
        .containsExactly(new DynamoDbGrants.Grant("dynamodb:GetItem", TABLE_ARN));
    assertThat(grants.of("BatchGetItem", json.readTree("{\"RequestItems\":{\"A\":{},\"B\":{}}}")))
        .extracting(DynamoDbGrants.Grant::resource)
        .containsExactly(
            "arn:aws:dynamodb:eu-west-2:123456789012:table/A",
            "arn:aws:dynamodb:eu-west-2:123456789012:table/B");
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
