package com.valuationflow.infra.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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

  /** Starts DynamoDB Local on a free loopback port. */
  public static LocalDynamoDb start() {
    int port = freePort();
    try {
      DynamoDBProxyServer server =
          ServerRunner.createServerFromCommandLineArgs(
              new String[] {"-inMemory", "-sharedDb", "-port", Integer.toString(port)});
      server.start();
      return new LocalDynamoDb(server, URI.create("http://127.0.0.1:" + port));
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not start: " + e.getMessage(), e);
    }
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

  /** Describes a table, as DynamoDB's {@code DescribeTable} does. */
  public JsonNode describeTable(String name) {
    return call("DescribeTable", MAPPER.createObjectNode().put("TableName", name));
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

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port", e);
    }
  }
}
