package com.valuationflow.infra.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java functions through Amazon's runtime interface client, in real processes. */
class LocalLambdaJavaTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HANDLER =
      "com.valuationflow.infra.local.lambda.JavaTestHandler::handleRequest";
  private static final String REQUEST_ID = "RequestId: [0-9a-f-]{36} ";

  @TempDir static Path logs;
  private static Path taskRoot;
  private static LocalLambda lambda;

  @BeforeAll
  static void start() throws URISyntaxException {
    taskRoot =
        Path.of(JavaTestHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    lambda = new LocalLambda(LambdaRuntimes.locate(), logs, 10);
    lambda.create(function("java-fn", Duration.ofSeconds(30)));
    lambda.create(function("java-slow", Duration.ofSeconds(1)));
    lambda.create(
        new FunctionConfig(
            "java-broken",
            "arn:aws:lambda:eu-west-2:123456789012:function:java-broken",
            "java17",
            BrokenJavaTestHandler.class.getName(),
            taskRoot,
            Map.of(),
            Duration.ofSeconds(30),
            256));
  }

  @AfterAll
  static void stop() {
    lambda.close();
  }

  static FunctionConfig function(String name, Duration timeout) {
    return new FunctionConfig(
        name,
        "arn:aws:lambda:eu-west-2:123456789012:function:" + name,
        "java21",
        HANDLER,
        taskRoot,
        Map.of("AWS_ACCESS_KEY_ID", "AKIDLOCAL", "AWS_SECRET_ACCESS_KEY", "local-secret"),
        timeout,
        512);
  }

  @Test
  void runsTheHandlerWithAPojoEventThroughTheRuntimesSerialization() throws Exception {
    InvokeResult first = invoke("java-fn", "{\"action\":\"greet\",\"name\":\"Ada\",\"amount\":21}");
    InvokeResult second =
        invoke(
            "arn:aws:lambda:eu-west-2:123456789012:function:java-fn",
            "{\"action\":\"greet\",\"name\":\"Bo\",\"amount\":1}");

    assertThat(first.failed()).as(first.toString()).isFalse();
    JsonNode result = JSON.readTree(first.payload());
    assertThat(result.get("greeting").asText()).isEqualTo("Hello, Ada");
    assertThat(result.get("doubled").asInt()).isEqualTo(42);
    assertThat(result.get("requestId").asText()).matches("[0-9a-f-]{36}");
    assertThat(result.get("functionName").asText()).isEqualTo("java-fn");
    assertThat(result.get("invokedArn").asText())
        .isEqualTo("arn:aws:lambda:eu-west-2:123456789012:function:java-fn");
    assertThat(result.get("memoryMb").asInt()).isEqualTo(512);
    assertThat(result.get("remainingMs").asLong()).isBetween(1L, 30_000L);
    JsonNode environment = result.get("environment");
    assertThat(environment.get("_HANDLER").asText()).isEqualTo(HANDLER);
    assertThat(environment.get("LAMBDA_TASK_ROOT").asText()).isEqualTo(taskRoot.toString());
    assertThat(environment.get("AWS_LAMBDA_RUNTIME_API").asText()).startsWith("127.0.0.1:");
    assertThat(environment.get("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_java21");
    assertThat(environment.get("AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("$LATEST");
    assertThat(environment.get("TZ").asText()).isEqualTo(":UTC");
    assertThat(environment.get("AWS_REGION").asText()).isEqualTo("eu-west-2");
    assertThat(environment.get("AWS_ACCESS_KEY_ID").asText()).isEqualTo("AKIDLOCAL");
    // Surefire sets this for the test JVM; a function sees nothing of the launcher's environment.
    assertThat(environment.has("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION")).isFalse();

    assertThat(JSON.readTree(second.payload()).get("pid")).isEqualTo(result.get("pid"));
    String log = Files.readString(logs.resolve("java-fn.log"));
    assertThat(log)
        .contains("START RequestId: " + result.get("requestId").asText())
        .contains("Greeting Ada")
        .contains("Init Duration")
        .containsPattern("Memory Size: 512 MB\tMax Memory Used: [1-9][0-9]* MB");
  }

  @Test
  void startsAReclaimedFunctionColdAgain() throws Exception {
    long pid = pid(invoke("java-fn", "{\"action\":\"greet\",\"name\":\"Fe\"}"));
    assertThat(pid(invoke("java-fn", "{\"action\":\"greet\",\"name\":\"Fe\"}"))).isEqualTo(pid);

    lambda.recycleIdle("java-fn");

    assertThat(lambda.instances("java-fn")).isZero();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(pid(invoke("java-fn", "{\"action\":\"greet\",\"name\":\"Fe\"}"))).isNotEqualTo(pid);
  }

  @Test
  void reportsAHandlerExceptionAsTheRuntimeDoesAndStaysWarm() throws Exception {
    long pid = pid(invoke("java-fn", "{\"action\":\"greet\",\"name\":\"Cy\"}"));

    InvokeResult refused = invoke("java-fn", "{\"action\":\"refuse\",\"name\":\"Flat 1\"}");

    assertThat(refused.functionError()).contains("Unhandled");
    assertThat(refused.errorType())
        .contains(JavaTestHandler.ValuationRefusedException.class.getName());
    JsonNode error = JSON.readTree(refused.payload());
    assertThat(error.get("errorMessage").asText()).isEqualTo("No valuation for Flat 1");
    assertThat(error.get("stackTrace").get(0).asText()).contains("JavaTestHandler.handleRequest");
    assertThat(pid(invoke("java-fn", "{\"action\":\"greet\",\"name\":\"Cy\"}"))).isEqualTo(pid);
  }

  @Test
  void reportsARuntimeThatExitsAsAnExitErrorAndStartsAFreshOne() throws Exception {
    long pid = pid(invoke("java-fn", "{\"action\":\"greet\",\"name\":\"Di\"}"));

    InvokeResult exited = invoke("java-fn", "{\"action\":\"exit\"}");

    assertThat(exited.errorType()).contains("Runtime.ExitError");
    assertThat(JSON.readTree(exited.payload()).get("errorMessage").asText())
        .matches(REQUEST_ID + "Error: Runtime exited with error: exit status 3");
    assertThat(pid(invoke("java-fn", "{\"action\":\"greet\",\"name\":\"Di\"}"))).isNotEqualTo(pid);
  }

  @Test
  void stopsAnInvocationThatOverrunsItsTimeoutAndRunsTheNextOnAFreshInstance() throws Exception {
    long pid = pid(invoke("java-slow", "{\"action\":\"greet\",\"name\":\"Ed\"}"));

    long start = System.nanoTime();
    InvokeResult timedOut = invoke("java-slow", "{\"action\":\"sleep\"}");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(timedOut.functionError()).contains("Unhandled");
    assertThat(timedOut.errorType()).contains("Sandbox.Timedout");
    assertThat(JSON.readTree(timedOut.payload()).get("errorMessage").asText())
        .matches(REQUEST_ID + "Error: Task timed out after 1\\.00 seconds");
    assertThat(elapsedMs).isBetween(1_000L, 5_000L);
    assertThat(pid(invoke("java-slow", "{\"action\":\"greet\",\"name\":\"Ed\"}")))
        .isNotEqualTo(pid);
  }

  @Test
  void reportsAnInitErrorAsTheRuntimePostsItAndDiscardsTheInstance() throws Exception {
    InvokeResult failed = invoke("java-broken", "{}");

    assertThat(failed.functionError()).contains("Unhandled");
    assertThat(JSON.readTree(failed.payload()))
        .isEqualTo(
            JSON.readTree(
                "{\"errorMessage\":\"TASK_TOKEN_TABLE is not set\","
                    + "\"errorType\":\"java.lang.IllegalStateException\"}"));
    assertThat(lambda.instances("java-broken")).isZero();
  }

  private static InvokeResult invoke(String function, String payload) {
    return lambda.invoke(function, payload.getBytes(StandardCharsets.UTF_8));
  }

  private static long pid(InvokeResult result) throws Exception {
    assertThat(result.failed()).as(result.toString()).isFalse();
    return JSON.readTree(result.payload()).get("pid").asLong();
  }
}
