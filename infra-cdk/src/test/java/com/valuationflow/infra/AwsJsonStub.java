package com.valuationflow.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Secrets Manager's {@code GetSecretValue} and Step Functions' {@code StartExecution} on a loopback
 * port, in the AWS JSON protocols ({@code X-Amz-Target}, JSON bodies, {@code __type} errors), so
 * that the functions' own AWS SDK clients can be pointed at it with {@code AWS_ENDPOINT_URL}. It
 * records every call and starts nothing.
 */
final class AwsJsonStub implements AutoCloseable {

  static final String GET_SECRET_VALUE = "secretsmanager.GetSecretValue";
  static final String START_EXECUTION = "AWSStepFunctions.StartExecution";
  static final String DESCRIBE_EXECUTION = "AWSStepFunctions.DescribeExecution";

  /** One call: the operation ({@code X-Amz-Target}) and its request. */
  record Call(String target, JsonNode request, boolean signed) {}

  private final String secretArn;
  private final String secretString;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, String> executions = new java.util.concurrent.ConcurrentHashMap<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpServer server;

  AwsJsonStub(String secretArn, String secretString) {
    this.secretArn = secretArn;
    this.secretString = secretString;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The endpoint for {@code AWS_ENDPOINT_URL}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Call> calls(String target) {
    return calls.stream().filter(call -> call.target().equals(target)).toList();
  }

  /** The requests of every {@code StartExecution}, in order. */
  List<JsonNode> startedExecutions() {
    return calls(START_EXECUTION).stream().map(Call::request).toList();
  }

  void clear() {
    calls.clear();
    executions.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode request = Definitions.json(new String(exchange.getRequestBody().readAllBytes()));
      boolean signed =
          String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"))
              .startsWith("AWS4-HMAC-SHA256 ");
      calls.add(new Call(String.valueOf(target), request, signed));
      if (GET_SECRET_VALUE.equals(target)) {
        if (!secretArn.equals(request.path("SecretId").asText())) {
          answer(exchange, 400, "1.1", error("ResourceNotFoundException", "No such secret"));
          return;
        }
        answer(
            exchange,
            200,
            "1.1",
            Map.of(
                "ARN",
                secretArn,
                "Name",
                "MockValuerWebhookSecret",
                "SecretString",
                secretString,
                "VersionId",
                "00000000-0000-0000-0000-000000000001",
                "VersionStages",
                List.of("AWSCURRENT"),
                "CreatedDate",
                1.7e9));
      } else if (START_EXECUTION.equals(target)) {
        String arn =
            request.path("stateMachineArn").asText().replace(":stateMachine:", ":execution:")
                + ":"
                + request.path("name").asText();
        // As Step Functions: the same name and input again is the same (running) execution.
        String input = request.path("input").asText();
        String before = executions.putIfAbsent(arn, input);
        if (before != null && !before.equals(input)) {
          answer(exchange, 400, "1.0", error("ExecutionAlreadyExists", "Execution Already Exists"));
          return;
        }
        answer(exchange, 200, "1.0", Map.of("executionArn", arn, "startDate", 1.7e9));
      } else if (DESCRIBE_EXECUTION.equals(target)) {
        String arn = request.path("executionArn").asText();
        String input = executions.get(arn);
        if (input == null) {
          answer(exchange, 400, "1.0", error("ExecutionDoesNotExist", "Execution Does Not Exist"));
          return;
        }
        answer(
            exchange,
            200,
            "1.0",
            Map.of("executionArn", arn, "input", input, "status", "RUNNING", "startDate", 1.7e9));
      } else {
        answer(exchange, 400, "1.0", error("UnknownOperationException", "Not served: " + target));
      }
    }
  }

  private static Map<String, String> error(String type, String message) {
    return Map.of("__type", type, "message", message);
  }

  private static void answer(HttpExchange exchange, int status, String version, Object body)
      throws IOException {
    byte[] bytes = Definitions.MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-" + version);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
