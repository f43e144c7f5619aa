package com.valuationflow.app.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.AppConfig;
import com.valuationflow.app.AwsModeEnvironment;
import com.valuationflow.app.RunningApp;
import com.valuationflow.app.metrics.VertxMetrics;
import com.valuationflow.aws.AwsClients;
import com.valuationflow.aws.LocalStepFunctions;
import com.valuationflow.aws.TaskTokenTable;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code /health/ready} in {@code MODE=aws} follows its dependencies: a DynamoDB Local server of
 * this test's own, stopped and started again on the same port (its data on disk survives), and the
 * local Step Functions endpoint.
 */
class ReadinessAgainstDynamoDbLocalTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String TABLE = "readiness-task-tokens";

  @TempDir Path dataDir;
  private int dynamoDbPort;
  private DynamoDBProxyServer dynamoDb;
  private LocalStepFunctions stepFunctions;
  private Vertx vertx;
  private RunningApp app;

  @BeforeEach
  void start() throws Exception {
    dynamoDbPort = freeLoopbackPort();
    dynamoDb = startDynamoDb();
    try (DynamoDbClient client =
        AwsClients.forRegion(LocalStepFunctions.REGION)
            .withEndpointOverride(dynamoDbEndpoint())
            .withStaticCredentials("local", "local")
            .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10))
            .newDynamoDbClient()) {
      TaskTokenTable.create(client, TABLE);
    }
    stepFunctions = LocalStepFunctions.start();
    PrometheusMeterRegistry registry = VertxMetrics.newRegistry();
    vertx = VertxMetrics.newVertx(new VertxOptions(), registry);
    Map<String, String> env = new HashMap<>(AwsModeEnvironment.of(TABLE, stepFunctions.endpoint()));
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint().toString());
    app = RunningApp.start(vertx, AppConfig.fromEnvironment(env), Clock.systemUTC(), registry);
  }

  @AfterEach
  void stop() throws Exception {
    app.close();
    RunningApp.await(vertx.close());
    stepFunctions.close();
    dynamoDb.stop();
  }

  @Test
  void readinessFollowsDynamoDbAndStepFunctions() throws Exception {
    JsonNode ready = awaitReadiness(200);
    assertThat(ready.path("status").asText()).isEqualTo("UP");
    assertThat(ready.at("/checks/dynamodb/status").asText()).isEqualTo("UP");
    assertThat(ready.at("/checks/stepfunctions/status").asText()).isEqualTo("UP");
    assertThat(app.management("/health/live").status()).isEqualTo(200);

    dynamoDb.stop();
    JsonNode down = awaitReadiness(503);
    assertThat(down.at("/checks/dynamodb/status").asText()).isEqualTo("DOWN");
    assertThat(down.at("/checks/stepfunctions/status").asText()).isEqualTo("UP");
    assertThat(app.management("/health/live").status())
        .as("alive all the same: restarting would not bring DynamoDB back")
        .isEqualTo(200);

    dynamoDb = startDynamoDb();
    JsonNode again = awaitReadiness(200);
    assertThat(again.at("/checks/dynamodb/status").asText()).isEqualTo("UP");

    String metrics = app.management("/metrics").text();
    assertThat(metrics)
        .contains(
            "valuationflow_aws_calls_total{error=\"\",operation=\"DescribeStateMachine\",result=\"success\",service=\"Sfn\"}")
        .contains(
            "valuationflow_aws_calls_total{error=\"\",operation=\"GetItem\",result=\"success\",service=\"DynamoDb\"}")
        .contains("operation=\"GetItem\",result=\"error\",service=\"DynamoDb\"}");
  }

  /** Polls {@code /health/ready} until it answers this status; its body. */
  private JsonNode awaitReadiness(int status) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      RunningApp.Response response = app.management("/health/ready");
      if (response.status() == status) {
        return response.json();
      }
      assertThat(Instant.now())
          .as("/health/ready answered %s; last: %s %s", status, response.status(), response.text())
          .isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private DynamoDBProxyServer startDynamoDb() throws Exception {
    DynamoDBProxyServer server =
        ServerRunner.createServerFromCommandLineArgs(
            new String[] {
              "-sharedDb",
              "-dbPath",
              dataDir.toString(),
              "-disableTelemetry",
              "-port",
              String.valueOf(dynamoDbPort)
            });
    server.start();
    return server;
  }

  private URI dynamoDbEndpoint() {
    return URI.create("http://127.0.0.1:" + dynamoDbPort);
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
