package com.valuationflow.infra.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node.js functions through the local Node.js runtime, in real processes. */
class LocalLambdaNodeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path logs;
  @TempDir static Path code;
  private static LocalLambda lambda;

  @BeforeAll
  static void start() throws IOException {
    write(
        "index.js",
        "exports.handler = async (event, context) => {",
        "  console.log('Echoing', JSON.stringify(event));",
        "  return { echo: event, requestId: context.awsRequestId,",
        "    functionName: context.functionName, remainingMs: context.getRemainingTimeInMillis(),",
        "    pid: process.pid, environment: process.env };",
        "};");
    write(
        "fail.js",
        "class ValuationRefused extends Error {",
        "  constructor(message) { super(message); this.name = 'ValuationRefused'; }",
        "}",
        "exports.handler = async (event) => { throw new ValuationRefused('No valuation for '",
        "  + event.name); };");
    write(
        "sdk.js",
        "const { SFNClient, ListStateMachinesCommand } = require('@aws-sdk/client-sfn');",
        "const { SecretsManagerClient } = require('@aws-sdk/client-secrets-manager');",
        "exports.handler = async () => ({",
        "  command: typeof ListStateMachinesCommand,",
        "  region: await new SFNClient({}).config.region(),",
        "  secrets: typeof SecretsManagerClient });");
    write(
        "slow.js",
        "exports.handler = async () => {",
        "  const start = Date.now();",
        "  await new Promise((resolve) => setTimeout(resolve, 300));",
        "  return { pid: process.pid, start, end: Date.now() };",
        "};");
    write("large.js", "exports.handler = async () => 'x'.repeat(7 * 1024 * 1024);");
    write("exit.js", "exports.handler = async () => { process.exit(2); };");
    write(
        "callback.js",
        "exports.handler = (event, context, callback) => {",
        "  setTimeout(() => callback(null, { via: 'callback' }), 10);",
        "};");
    lambda = new LocalLambda(LambdaRuntimes.locate(), logs, 10);
    for (var function :
        Map.of(
                "node-echo", "index.handler",
                "node-fail", "fail.handler",
                "node-sdk", "sdk.handler",
                "node-slow", "slow.handler",
                "node-exit", "exit.handler",
                "node-callback", "callback.handler",
                "node-large", "large.handler",
                "node-missing", "missing.handler",
                "node-unexported", "index.nothing")
            .entrySet()) {
      lambda.create(function(function.getKey(), function.getValue()));
    }
  }

  @AfterAll
  static void stop() {
    lambda.close();
  }

  private static FunctionConfig function(String name, String handler) {
    return new FunctionConfig(
        name,
        "arn:aws:lambda:eu-west-2:123456789012:function:" + name,
        "nodejs22.x",
        handler,
        code,
        Map.of("AWS_ACCESS_KEY_ID", "AKIDLOCAL", "AWS_SECRET_ACCESS_KEY", "local-secret"),
        Duration.ofSeconds(10),
        256);
  }

  @Test
  void runsAnAsyncHandlerWithLambdasEnvironmentAndContext() throws Exception {
    InvokeResult first = invoke("node-echo", "{\"name\":\"Ada\"}");

    assertThat(first.failed()).as(first.toString()).isFalse();
    JsonNode result = JSON.readTree(first.payload());
    assertThat(result.get("echo")).isEqualTo(JSON.readTree("{\"name\":\"Ada\"}"));
    assertThat(result.get("functionName").asText()).isEqualTo("node-echo");
    assertThat(result.get("remainingMs").asLong()).isBetween(1L, 10_000L);
    JsonNode environment = result.get("environment");
    assertThat(environment.get("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_nodejs22.x");
    assertThat(environment.get("_HANDLER").asText()).isEqualTo("index.handler");
    assertThat(environment.get("NODE_PATH").asText()).contains("node_modules");
    assertThat(environment.get("AWS_SECRET_ACCESS_KEY").asText()).isEqualTo("local-secret");
    assertThat(environment.get("_X_AMZN_TRACE_ID").asText()).startsWith("Root=1-");
    assertThat(environment.has("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION")).isFalse();
    assertThat(Files.readString(logs.resolve("node-echo.log")))
        .contains(result.get("requestId").asText() + "\tINFO\tEchoing {\"name\":\"Ada\"}");
  }

  @Test
  void reportsAThrownErrorAsNodesRuntimeDoes() throws Exception {
    InvokeResult refused = invoke("node-fail", "{\"name\":\"Flat 1\"}");

    assertThat(refused.functionError()).contains("Unhandled");
    assertThat(refused.errorType()).contains("ValuationRefused");
    JsonNode error = JSON.readTree(refused.payload());
    assertThat(error.get("errorMessage").asText()).isEqualTo("No valuation for Flat 1");
    assertThat(error.get("trace").get(0).asText())
        .isEqualTo("ValuationRefused: No valuation for Flat 1");
  }

  @Test
  void providesTheAwsSdkForJavaScriptAsTheRuntimeDoes() throws Exception {
    InvokeResult result = invoke("node-sdk", "{}");

    assertThat(result.failed()).as(result.toString()).isFalse();
    assertThat(JSON.readTree(result.payload()))
        .isEqualTo(
            JSON.readTree(
                "{\"command\":\"function\",\"region\":\"eu-west-2\",\"secrets\":\"function\"}"));
  }

  @Test
  void answersACallbackHandler() {
    assertThat(invoke("node-callback", "{}").payloadText()).isEqualTo("{\"via\":\"callback\"}");
  }

  @Test
  void scalesOutWhenAllInstancesAreBusy() {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<InvokeResult>> calls =
          IntStream.range(0, 4)
              .mapToObj(
                  i -> CompletableFuture.supplyAsync(() -> invoke("node-slow", "{}"), callers))
              .toList();
      List<JsonNode> results =
          calls.stream().map(CompletableFuture::join).map(LocalLambdaNodeTest::json).toList();

      assertThat(results).extracting(result -> result.get("pid").asLong()).doesNotHaveDuplicates();
      assertThat(lambda.instances("node-slow")).isEqualTo(4);
      long lastStart = results.stream().mapToLong(r -> r.get("start").asLong()).max().orElseThrow();
      long firstEnd = results.stream().mapToLong(r -> r.get("end").asLong()).min().orElseThrow();
      assertThat(lastStart).as("all four ran at once").isLessThan(firstEnd);
    } finally {
      callers.shutdown();
    }
  }

  @Test
  void reportsAnExitAsAnExitError() throws Exception {
    InvokeResult exited = invoke("node-exit", "{}");

    assertThat(exited.errorType()).contains("Runtime.ExitError");
    assertThat(JSON.readTree(exited.payload()).get("errorMessage").asText())
        .matches("RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 2");
  }

  @Test
  void reportsInitErrorsAsNodesRuntimeDoes() throws Exception {
    InvokeResult missing = invoke("node-missing", "{}");
    InvokeResult unexported = invoke("node-unexported", "{}");

    assertThat(missing.errorType()).contains("Runtime.ImportModuleError");
    assertThat(JSON.readTree(missing.payload()).get("errorMessage").asText())
        .startsWith("Error: Cannot find module 'missing'");
    assertThat(unexported.errorType()).contains("Runtime.HandlerNotFound");
    assertThat(JSON.readTree(unexported.payload()).get("errorMessage").asText())
        .isEqualTo("index.nothing is undefined or not exported");
    assertThat(lambda.instances("node-missing")).isZero();
  }

  private static InvokeResult invoke(String function, String payload) {
    return lambda.invoke(function, payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void reportsAResultOverSixMegabytesAsLambdaDoes() throws Exception {
    InvokeResult tooLarge = invoke("node-large", "{}");

    assertThat(tooLarge.errorType()).contains("Function.ResponseSizeTooLarge");
    assertThat(JSON.readTree(tooLarge.payload()).get("errorMessage").asText())
        .isEqualTo("Response payload size exceeded maximum allowed payload size (6291556 bytes).");
  }

  private static JsonNode json(InvokeResult result) {
    assertThat(result.failed()).as(result.toString()).isFalse();
    try {
      return JSON.readTree(result.payload());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void write(String file, String... lines) throws IOException {
    Files.writeString(code.resolve(file), String.join("\n", lines) + "\n");
  }
}
