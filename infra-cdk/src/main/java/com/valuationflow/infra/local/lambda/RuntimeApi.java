package com.valuationflow.infra.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API of one execution environment, on a loopback port: {@code GET
 * /2018-06-01/runtime/invocation/next} (a long poll), {@code POST .../invocation/{id}/response},
 * {@code POST .../invocation/{id}/error} and {@code POST .../init/error}, answering as Lambda's API
 * does (202 {@code {"status":"OK"}} to posts).
 */
final class RuntimeApi implements AutoCloseable {

  /** What the environment does with the runtime's calls. */
  interface Environment {

    /** The next invocation, blocking until there is one. */
    Invocation next() throws InterruptedException;

    /** The runtime's result; false if the request ID is not the invocation in flight. */
    boolean respond(String requestId, byte[] payload);

    /** The runtime's error; false if the request ID is not the invocation in flight. */
    boolean fail(String requestId, byte[] error);

    /** The runtime could not initialize. */
    void initFailed(byte[] error);
  }

  private static final String PREFIX = "/2018-06-01/runtime";
  private static final Pattern POST_PATH =
      Pattern.compile(PREFIX + "/(?:invocation/([^/]+)/(response|error)|init/error)");
  private static final byte[] OK = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);

  private final Environment environment;
  private final LoopbackServer server;

  RuntimeApi(Environment environment, String name) {
    this.environment = environment;
    this.server = new LoopbackServer("lambda-runtime-api-" + name, this::handle);
  }

  /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port. */
  String address() {
    return "127.0.0.1:" + server.port();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (method.equals("GET") && path.equals(PREFIX + "/invocation/next")) {
        next(exchange);
        return;
      }
      Matcher post = POST_PATH.matcher(path);
      if (!method.equals("POST") || !post.matches()) {
        send(exchange, 404, error("InvalidRequest", "No such endpoint: " + method + " " + path));
        return;
      }
      boolean response = "response".equals(post.group(2));
      int limit = response ? LambdaErrors.MAX_RESPONSE_BYTES : LambdaErrors.MAX_REQUEST_BYTES;
      byte[] body = read(exchange.getRequestBody(), limit);
      if (body.length > limit) {
        if (response) {
          environment.fail(post.group(1), LambdaErrors.responseTooLarge().payload());
        }
        send(exchange, 413, LambdaErrors.responseTooLargeForRuntime());
        return;
      }
      boolean known;
      if (post.group(1) == null) {
        environment.initFailed(errorBody(body, exchange));
        known = true;
      } else if (response) {
        known = environment.respond(post.group(1), body);
      } else {
        known = environment.fail(post.group(1), errorBody(body, exchange));
      }
      if (known) {
        send(exchange, 202, OK);
      } else {
        send(exchange, 400, error("InvalidRequestID", "Invalid request ID"));
      }
    }
  }

  private void next(HttpExchange exchange) throws IOException {
    Invocation invocation;
    try {
      invocation = environment.next();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "application/json");
    headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
    headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMs()));
    headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.functionArn());
    headers.set("Lambda-Runtime-Trace-Id", invocation.traceId());
    send(exchange, 200, invocation.payload());
  }

  /** The error as posted, or one made of the error type header when the body is empty. */
  private static byte[] errorBody(byte[] body, HttpExchange exchange) {
    if (body.length > 0) {
      return body;
    }
    String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
    return error(type == null ? "Runtime.Unknown" : type, "");
  }

  private static byte[] error(String type, String message) {
    return LambdaJson.object("errorMessage", message, "errorType", type);
  }

  private static byte[] read(InputStream body, int limit) throws IOException {
    return body.readNBytes(limit + 1);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.close();
  }
}
