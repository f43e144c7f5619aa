package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.usecase.RequestValuation;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/**
 * The function in-process against DynamoDB Local, a loopback valuer and the local Step Functions.
 */
class RequestValuationFunctionTest {

  private static final String TABLE = "request-valuation-function-tokens";
  private static final String CALLBACK_URL = "https://valuationflow.example/valuations/callback";
  private static final AtomicInteger APPLICATIONS = new AtomicInteger();

  private static LocalStepFunctions local;
  private static SfnClient sfn;
  private static DynamoDbClient dynamoDb;
  private static HttpServer valuer;
  private static ExecutorService valuerThreads;
  private static final List<JsonObject> valuationRequests = new CopyOnWriteArrayList<>();
  private static volatile int valuerStatus;
  private static RequestValuationFunction function;

  private String applicationReference;
  private String token;

  @BeforeAll
  static void start() throws IOException {
    local = LocalStepFunctions.start();
    sfn = local.newClient();
    dynamoDb = DynamoDbLocal.newClient();
    TaskTokenTable.create(dynamoDb, TABLE);
    valuerThreads = Executors.newCachedThreadPool();
    valuer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    valuer.setExecutor(valuerThreads);
    valuer.createContext(
        "/valuations",
        exchange -> {
          valuationRequests.add(
              new JsonObject(
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          byte[] reply =
              ("{\"valuationReference\":\"val-" + valuationRequests.size() + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(valuerStatus, reply.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
          }
        });
    valuer.start();
    Clock clock = Clock.systemUTC();
    function =
        new RequestValuationFunction(
            new RequestValuation(
                new JdkHttpValuer(valuerUrl(), Duration.ofSeconds(1), Duration.ofSeconds(2)),
                new DynamoDbTaskTokenStore(dynamoDb, TABLE, clock, Duration.ofDays(7)),
                new StepFunctionsWorkflowResumer(sfn),
                URI.create(CALLBACK_URL),
                clock));
  }

  @AfterAll
  static void stop() {
    valuer.stop(0);
    valuerThreads.shutdownNow();
    dynamoDb.close();
    sfn.close();
    local.close();
  }

  @BeforeEach
  void waitingTask() {
    local.reset();
    valuationRequests.clear();
    valuerStatus = 202;
    applicationReference = "app-" + APPLICATIONS.incrementAndGet();
    LocalStepFunctions.startExecution(
        sfn,
        new WorkflowInput(
            LoanApplication.of(applicationReference, "12", "PO1 1CE"), Duration.ofHours(1)));
    token = local.issueTaskToken(applicationReference);
  }

  @Test
  void aValidPayloadParksTheTokenAndRequestsTheValuationOnce() {
    Map<String, Object> result = function.request(payload());

    assertThat(result)
        .containsExactly(
            Map.entry("outcome", "ValuationRequested"), Map.entry("valuationReference", "val-1"));
    assertThat(valuationRequests)
        .containsExactly(
            new JsonObject()
                .put(
                    "property",
                    new JsonObject().put("nameOrNumber", "12").put("postcode", "PO1 1CE"))
                .put("callbackUrl", CALLBACK_URL + "?correlationId=" + key().value()));
    assertThat(parkedItem()).isNotEmpty();
    assertThat(local.requests("SendTaskFailure") + local.requests("SendTaskSuccess")).isZero();
  }

  @Test
  void theSamePayloadDeliveredTwiceRequestsTheValuationOnce() {
    function.request(payload());

    Map<String, Object> again = function.request(payload());

    assertThat(again).containsEntry("outcome", "AlreadyRequested");
    assertThat(valuationRequests).hasSize(1);
  }

  @Test
  void concurrentDeliveriesOfTheSamePayloadRequestTheValuationOnce() throws Exception {
    ExecutorService deliveries = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Map<String, Object>>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(() -> function.request(payload()));
      }
      List<Object> outcomes = new ArrayList<>();
      for (Future<Map<String, Object>> result : deliveries.invokeAll(calls)) {
        outcomes.add(result.get().get("outcome"));
      }

      assertThat(outcomes)
          .containsOnly("ValuationRequested", "AlreadyRequested")
          .containsOnlyOnce("ValuationRequested");
      assertThat(valuationRequests).hasSize(1);
    } finally {
      deliveries.shutdownNow();
    }
  }

  @ParameterizedTest
  @MethodSource("invalidPayloads")
  void anInvalidPayloadFailsNamingTheFieldWithoutParkingOrAskingTheValuer(
      Consumer<Map<String, Object>> change, String message) {
    Map<String, Object> payload = payload();
    change.accept(payload);

    assertThatThrownBy(() -> function.request(payload))
        .isInstanceOf(InvalidLoanApplicationException.class)
        .hasMessage(message);
    assertThat(valuationRequests).isEmpty();
    assertThat(parkedItem()).isEmpty();
  }

  static Stream<Arguments> invalidPayloads() {
    return Stream.of(
        invalid(p -> p.remove("taskToken"), "'taskToken' is missing"),
        invalid(p -> p.put("taskToken", 42), "'taskToken' must be a string"),
        invalid(p -> p.put("taskToken", " "), "'taskToken' must not be blank"),
        invalid(p -> p.remove("loanApplication"), "'loanApplication' must be a JSON object"),
        invalid(p -> p.put("loanApplication", "app-1"), "'loanApplication' must be a JSON object"),
        invalid(
            p -> application(p).put("property", List.of()),
            "'loanApplication.property' must be a JSON object"),
        invalid(
            p -> application(p).remove("applicationReference"),
            "'loanApplication.applicationReference' is missing"),
        invalid(
            p -> application(p).put("applicationReference", "app 1"),
            "'loanApplication.applicationReference' must be 1 to 80 letters, digits, '-' or '_'"),
        invalid(
            p -> property(p).put("nameOrNumber", null),
            "'loanApplication.property.nameOrNumber' is missing"),
        invalid(
            p -> property(p).put("postcode", "12345"),
            "'loanApplication.property.postcode' must be a UK postcode such as 'PO1 1CE'"),
        invalid(
            p -> application(p).remove("valuationTimeoutSeconds"),
            "'loanApplication.valuationTimeoutSeconds' is missing"),
        invalid(
            p -> application(p).put("valuationTimeoutSeconds", "3600"),
            "'loanApplication.valuationTimeoutSeconds' must be a positive whole number of seconds"),
        invalid(
            p -> application(p).put("valuationTimeoutSeconds", 3600.5),
            "'loanApplication.valuationTimeoutSeconds' must be a positive whole number of seconds"),
        invalid(
            p -> application(p).put("valuationTimeoutSeconds", 0),
            "'loanApplication.valuationTimeoutSeconds' must be a positive whole number of seconds"));
  }

  @Test
  void aNullPayloadIsInvalid() {
    assertThatThrownBy(() -> function.request(null))
        .isInstanceOf(InvalidLoanApplicationException.class)
        .hasMessage("'payload' must be a JSON object");
  }

  @Test
  void anOverlongTokenIsNamedButNotQuoted() {
    String overlong = token + "A".repeat(2049);
    Map<String, Object> payload = payload();
    payload.put("taskToken", overlong);

    assertThatThrownBy(() -> function.request(payload))
        .isInstanceOf(InvalidLoanApplicationException.class)
        .hasMessageStartingWith("'taskToken' must be at most 2048 characters")
        .hasMessageNotContaining(token);
  }

  @Test
  void anUnavailableValuerFailsTheTaskWithValuerUnavailable() {
    valuerStatus = 503;

    Map<String, Object> result = function.request(payload());

    assertThat(result)
        .containsEntry("outcome", "ValuerUnavailable")
        .containsEntry("reason", "valuer answered HTTP 503");
    assertThat(local.requests("SendTaskFailure")).isEqualTo(1);
    DescribeExecutionResponse execution =
        sfn.describeExecution(
            r ->
                r.executionArn(
                    LocalStepFunctions.STATE_MACHINE.executionArn(applicationReference)));
    assertThat(execution.statusAsString()).isEqualTo("FAILED");
    assertThat(execution.error()).isEqualTo(RequestValuation.VALUER_UNAVAILABLE);
    assertThat(execution.cause()).isEqualTo("valuer answered HTTP 503");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AWS_REGION", "TASK_TOKEN_TABLE", "VALUER_URL", "CALLBACK_URL"})
  void aMissingRequiredVariableIsNamed(String name) {
    Map<String, String> environment = environment();
    environment.put(name, " ");

    assertThatThrownBy(() -> RequestValuationFunction.fromEnvironment(environment))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("environment variable " + name + " is not set");
    environment.remove(name);
    assertThatThrownBy(() -> RequestValuationFunction.fromEnvironment(environment))
        .hasMessage("environment variable " + name + " is not set");
  }

  @Test
  void invalidVariablesAreNamed() {
    Map<String, String> environment = environment();
    environment.put("VALUER_URL", "valuer.example/valuations");
    assertThatThrownBy(() -> RequestValuationFunction.fromEnvironment(environment))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("environment variable VALUER_URL must be an absolute http(s) URL");

    environment.put("VALUER_URL", valuerUrl().toString());
    environment.put("CALLBACK_URL", "http://exa mple/");
    assertThatThrownBy(() -> RequestValuationFunction.fromEnvironment(environment))
        .hasMessageStartingWith("environment variable CALLBACK_URL must be an absolute http(s)");

    environment.put("CALLBACK_URL", CALLBACK_URL);
    environment.put("VALUER_TIMEOUT_MS", "10s");
    assertThatThrownBy(() -> RequestValuationFunction.fromEnvironment(environment))
        .hasMessageStartingWith("environment variable VALUER_TIMEOUT_MS must be a positive whole");

    environment.remove("VALUER_TIMEOUT_MS");
    environment.put("STATE_MACHINE_ARN", "arn:aws:states:eu-west-2:123:nothing");
    assertThatThrownBy(() -> RequestValuationFunction.fromEnvironment(environment))
        .hasMessageStartingWith("environment variable STATE_MACHINE_ARN");
  }

  /**
   * The no-argument constructor's wiring, with the AWS SDK's own endpoint and credential settings
   * (the system-property twins of {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_SFN}
   * and {@code AWS_ACCESS_KEY_ID}) pointing it at the local services.
   */
  @Test
  void theEnvironmentWiresTheFunctionToTheConfiguredServices() {
    Map<String, String> properties =
        Map.of(
            "aws.endpointUrlDynamoDb",
            DynamoDbLocal.endpoint().toString(),
            "aws.endpointUrlSfn",
            local.endpoint().toString(),
            "aws.accessKeyId",
            "local",
            "aws.secretAccessKey",
            "local");
    properties.forEach(System::setProperty);
    try {
      Map<String, String> environment = environment();
      environment.put("VALUER_TIMEOUT_MS", "2000");
      RequestValuationFunction configured =
          new RequestValuationFunction(RequestValuationFunction.fromEnvironment(environment));
      valuerStatus = 503;

      assertThat(configured.request(payload())).containsEntry("outcome", "ValuerUnavailable");
      assertThat(valuationRequests).hasSize(1);
      assertThat(parkedItem()).isNotEmpty();
      assertThat(local.requests("SendTaskFailure")).isEqualTo(1);
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
  }

  private Map<String, Object> payload() {
    Map<String, Object> property = new HashMap<>();
    property.put("nameOrNumber", "12");
    property.put("postcode", "PO1 1CE");
    Map<String, Object> application = new LinkedHashMap<>();
    application.put("applicationReference", applicationReference);
    application.put("property", property);
    application.put("valuationTimeoutSeconds", 3600);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("taskToken", token);
    payload.put("loanApplication", application);
    return payload;
  }

  private static Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("AWS_REGION", LocalStepFunctions.REGION);
    environment.put("TASK_TOKEN_TABLE", TABLE);
    environment.put("VALUER_URL", valuerUrl().toString());
    environment.put("CALLBACK_URL", CALLBACK_URL);
    return environment;
  }

  /** The valuation key the function chose for the application, as the table holds it. */
  private CorrelationKey key() {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(TABLE)
                        .key(
                            Map.of(
                                TaskTokenTable.PARTITION_KEY,
                                AttributeValue.fromS("application#" + applicationReference)))
                        .consistentRead(true))
            .item();
    return CorrelationKey.of(
        item.containsKey("valuationKey") ? item.get("valuationKey").s() : "c-none");
  }

  private Map<String, AttributeValue> parkedItem() {
    return dynamoDb
        .getItem(
            r ->
                r.tableName(TABLE)
                    .key(Map.of(TaskTokenTable.PARTITION_KEY, AttributeValue.fromS(key().value())))
                    .consistentRead(true))
        .item();
  }

  private static URI valuerUrl() {
    return URI.create("http://127.0.0.1:" + valuer.getAddress().getPort() + "/valuations");
  }

  private static Arguments invalid(Consumer<Map<String, Object>> change, String message) {
    return Arguments.of(change, message);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> application(Map<String, Object> payload) {
    return (Map<String, Object>) payload.get("loanApplication");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> property(Map<String, Object> payload) {
    return (Map<String, Object>) application(payload).get("property");
  }
}
