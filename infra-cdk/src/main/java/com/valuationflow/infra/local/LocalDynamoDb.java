package com.valuationflow.infra.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Amazon's DynamoDB Local, in memory on a loopback port, with one database for every caller ({@code
 * -sharedDb}: the principals of the local deployment each have their own access key), and the
 * tables of the templates created in it.
 */
public final class LocalDynamoDb implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final DynamoDBProxyServer server;
  private final URI endpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private LocalDynamoDb(DynamoDBProxyServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  /**
   * Starts DynamoDB Local, without telemetry, on a free port of the loopback interface only: the
   * local deployment's gateway is the one way in, so that IAM is checked on every call.
   */
  public static LocalDynamoDb start() {
    Exception last = null;
    // Its command line takes no port 0: a free port is chosen here, and again should another
    // process take it before DynamoDB Local binds it.
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        int port = freePort();
        DynamoDBProxyServer server =
            ServerRunner.createServerFromCommandLineArgs(
                new String[] {
                  "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port)
                });
        loopbackOnly(server);
        server.start();
        return new LocalDynamoDb(server, URI.create("http://127.0.0.1:" + port));
      } catch (Exception e) {
        last = e;
      }
    }
    throw new IllegalStateException("DynamoDB Local did not start: " + last.getMessage(), last);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * DynamoDB Local listens on every interface and has no option to say otherwise; its Jetty
   * connector is told to listen on the loopback interface before it starts.
   */
  private static void loopbackOnly(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    ServerConnector connector = (ServerConnector) jetty.getConnectors()[0];
    connector.setHost("127.0.0.1");
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * Creates a table from an {@code AWS::DynamoDB::Table}'s resolved properties: keys, attributes,
   * billing mode, secondary indexes, and time to live.
   */
  public void createTable(String name, JsonNode properties) {
    ObjectNode request = MAPPER.createObjectNode().put("TableName", name);
    for (String field :
        new String[] {
          "AttributeDefinitions",
          "KeySchema",
          "BillingMode",
          "ProvisionedThroughput",
          "GlobalSecondaryIndexes",
          "LocalSecondaryIndexes",
          "StreamSpecification"
        }) {
      if (properties.has(field)) {
        request.set(field, properties.get(field));
      }
    }
    call("CreateTable", request);
    JsonNode ttl = properties.path("TimeToLiveSpecification");
    if (ttl.path("Enabled").asBoolean(false)) {
      ObjectNode update = MAPPER.createObjectNode().put("TableName", name);
      update.set("TimeToLiveSpecification", ttl);
      call("UpdateTimeToLive", update);
    }
  }

  private JsonNode call(String operation, JsonNode body) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Target", "DynamoDB_20120810." + operation)
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=LOCALDEPLOYMENT/20260101/local/dynamodb/aws4_request,"
                    + " SignedHeaders=host, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "DynamoDB Local answered " + operation + " with " + response.body());
      }
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("DynamoDB Local did not answer " + operation, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted calling DynamoDB Local", e);
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not stop: " + e.getMessage(), e);
    }
  }
}
