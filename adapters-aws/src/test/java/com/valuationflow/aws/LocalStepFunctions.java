package com.valuationflow.aws;

import com.valuationflow.domain.model.WorkflowInput;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * A Step Functions stand-in on a loopback port that speaks the service's AWS JSON 1.0 protocol:
 * {@code POST /} with {@code X-Amz-Target: AWSStepFunctions.<Operation>}, errors as HTTP 400 with
 * {@code {"__type":"<ErrorCode>","message":"..."}}.
 *
 * <p>It keeps executions of one state machine and the task tokens a test issues for them. Tokens
 * resume once (again: {@code TaskTimedOut}), unknown ones are {@code TaskDoesNotExist}, malformed
 * ones {@code InvalidToken}. {@link #timeOutTask} times a task out. {@link #failNext} makes the
 * next calls fail with throttling, a server error or no answer at all. It runs no state machine
 * definition: a task success ends the execution successfully, a task failure fails it.
 */
public final class LocalStepFunctions implements AutoCloseable {

  public static final String REGION = "eu-west-2";
  public static final StateMachineArn STATE_MACHINE =
      StateMachineArn.of("arn:aws:states:eu-west-2:123456789012:stateMachine:loan-processor");
  static final String TASK_STATE = "RequestValuation";

  /** What {@code DescribeStateMachine} answers. */
  static final String DEFINITION =
      "{\"StartAt\":\"RequestValuation\",\"States\":{\"RequestValuation\":{\"Type\":\"Task\","
          + "\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\",\"End\":true}}}";

  /** How the next calls fail. */
  public enum Fault {
    /** HTTP 400 {@code ThrottlingException}, which the SDK retries. */
    THROTTLING,
    /** HTTP 500 {@code InternalFailure} whose message quotes the request body, token included. */
    SERVER_ERROR_QUOTING_REQUEST,
    /** No response at all, until the server closes. */
    NO_RESPONSE,
    /** Carries the call out, then answers 500 as if the response had been lost on the way. */
    APPLIED_THEN_SERVER_ERROR
  }

  private static final String TARGET_PREFIX = "AWSStepFunctions.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final Pattern TOKEN_FORMAT = Pattern.compile("AQ[A-Za-z0-9_-]{100,2046}");
  private static final Pattern NAME_FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,80}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final HttpServer server;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, Execution> executions = new LinkedHashMap<>();
  private final Map<String, Task> tasks = new HashMap<>();
  private Fault fault;
  private String faultOperation;
  private int faultsLeft;
  private int historyPageSize = 2;

  private LocalStepFunctions(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static LocalStepFunctions start() {
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    HttpServer server = vertx.createHttpServer();
    LocalStepFunctions local = new LocalStepFunctions(vertx, server);
    router.post("/").handler(BodyHandler.create(false).setBodyLimit(1_048_576));
    router.post("/").handler(local::handle);
    server.requestHandler(router);
    await(server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture());
    return local;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /** Client settings pointing at this server, with dummy credentials. */
  public AwsClients clients() {
    return AwsClients.forRegion(REGION)
        .withEndpointOverride(endpoint())
        .withStaticCredentials("local", "local");
  }

  public SfnClient newClient() {
    return clients().newSfnClient();
  }

  /**
   * Starts the execution of an application as the starter does, through {@code sfn}, without
   * recording the submission: for tests that need a waiting execution and no table.
   */
  static void startExecution(SfnClient sfn, WorkflowInput input) {
    sfn.startExecution(
        r ->
            r.stateMachineArn(STATE_MACHINE.value())
                .name(input.application().applicationReference().value())
                .input(input.json()));
  }

  /** Forgets all executions, tokens, counts and faults. */
  synchronized void reset() {
    executions.clear();
    tasks.clear();
    requests.clear();
    fault = null;
    faultsLeft = 0;
    historyPageSize = 2;
  }

  /** Makes the next {@code calls} requests, of any operation, fail this way. */
  public synchronized void failNext(int calls, Fault fault) {
    failNext(null, calls, fault);
  }

  /** Makes the next {@code calls} requests of the operation (any, if null) fail this way. */
  public synchronized void failNext(String operation, int calls, Fault fault) {
    this.fault = fault;
    this.faultsLeft = calls;
    this.faultOperation = operation;
  }

  /** Caps the events per {@code GetExecutionHistory} page, whatever {@code maxResults} asks. */
  synchronized void historyPageSize(int size) {
    this.historyPageSize = size;
  }

  /** How many requests of the operation arrived, failed ones included. */
  public int requests(String operation) {
    AtomicInteger count = requests.get(operation);
    return count == null ? 0 : count.get();
  }

  /**
   * Has the running execution enter the task state and wait for a callback, as a {@code
   * lambda:invoke.waitForTaskToken} task does; returns the task token.
   */
  public synchronized String issueTaskToken(String executionName) {
    Execution execution = executions.get(executionName);
    if (execution == null || !execution.status.equals("RUNNING")) {
      throw new IllegalStateException("no running execution named " + executionName);
    }
    byte[] random = new byte[96];
    RANDOM.nextBytes(random);
    String token = "AQ" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    tasks.put(token, new Task(execution));
    execution.record(
        "TaskStateEntered",
        "stateEnteredEventDetails",
        new JsonObject().put("name", TASK_STATE).put("input", execution.input));
    execution.record(
        "TaskScheduled",
        "taskScheduledEventDetails",
        lambda()
            .put("region", REGION)
            .put(
                "parameters",
                new JsonObject()
                    .put("FunctionName", "request-valuation")
                    .put(
                        "Payload",
                        new JsonObject().put("taskToken", token).put("input", execution.input))
                    .encode())
            .put("heartbeatInSeconds", 3600)
            .put("timeoutInSeconds", 604800));
    execution.record("TaskStarted", "taskStartedEventDetails", lambda());
    execution.record(
        "TaskSubmitted",
        "taskSubmittedEventDetails",
        lambda()
            .put(
                "output",
                new JsonObject()
                    .put("StatusCode", 200)
                    .put(
                        "Payload",
                        new JsonObject()
                            .put("receivedToken", token)
                            .put("outcome", "ValuationRequested")
                            .put("valuationReference", "val-" + executionName))
                    .encode()));
    return token;
  }

  /**
   * Has the waiting task of the token time out, as {@code TimeoutSeconds} does: {@code
   * TaskTimedOut} with {@code States.Timeout}, and the execution fails with it.
   */
  public synchronized void timeOutTask(String token) {
    Task task = tasks.get(token);
    if (task == null || !task.open) {
      throw new IllegalStateException("no waiting task has this token");
    }
    task.open = false;
    Execution execution = task.execution;
    execution.record(
        "TaskTimedOut",
        "taskTimedOutEventDetails",
        lambda().put("error", "States.Timeout").put("cause", ""));
    execution.record(
        "ExecutionFailed",
        "executionFailedEventDetails",
        new JsonObject().put("error", "States.Timeout").put("cause", ""));
    execution.finish("FAILED", null, "States.Timeout", "");
  }

  /** Ends the running execution with this name as {@code StopExecution} does: {@code ABORTED}. */
  public synchronized void abort(String executionName) {
    Execution execution = executions.get(executionName);
    if (execution == null || !execution.status.equals("RUNNING")) {
      throw new IllegalStateException("no execution of that name runs");
    }
    tasks.values().stream()
        .filter(task -> task.execution == execution)
        .forEach(task -> task.open = false);
    execution.record(
        "ExecutionAborted",
        "executionAbortedEventDetails",
        new JsonObject().put("error", "Stopped").put("cause", ""));
    execution.finish("ABORTED", null, "Stopped", "");
  }

  /** A token of the right shape that was never issued. */
  static String unknownToken() {
    return "AQ" + "A".repeat(120);
  }

  synchronized Optional<String> input(String executionName) {
    return Optional.ofNullable(executions.get(executionName)).map(execution -> execution.input);
  }

  @Override
  public void close() {
    await(vertx.close().toCompletionStage().toCompletableFuture());
  }

  private void handle(RoutingContext context) {
    String target = context.request().getHeader("X-Amz-Target");
    String operation =
        target != null && target.startsWith(TARGET_PREFIX)
            ? target.substring(TARGET_PREFIX.length())
            : String.valueOf(target);
    requests.computeIfAbsent(operation, key -> new AtomicInteger()).incrementAndGet();
    Fault current = takeFault(operation);
    if (current == Fault.NO_RESPONSE) {
      return;
    }
    if (current == Fault.THROTTLING) {
      error(context, 400, "ThrottlingException", "Rate exceeded");
      return;
    }
    if (current == Fault.SERVER_ERROR_QUOTING_REQUEST) {
      error(
          context,
          500,
          "InternalFailure",
          "Internal failure handling " + context.body().asString());
      return;
    }
    String authorization = context.request().getHeader("Authorization");
    if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
      error(context, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
      return;
    }
    if (!CONTENT_TYPE.equals(context.request().getHeader("Content-Type"))) {
      error(context, 400, "SerializationException", "Expected " + CONTENT_TYPE);
      return;
    }
    JsonObject request;
    try {
      request = context.body().asJsonObject();
    } catch (DecodeException e) {
      error(context, 400, "SerializationException", "Malformed JSON body");
      return;
    }
    try {
      JsonObject response = dispatch(operation, request == null ? new JsonObject() : request);
      if (current == Fault.APPLIED_THEN_SERVER_ERROR) {
        error(context, 500, "InternalFailure", "The response was lost");
        return;
      }
      context
          .response()
          .putHeader("Content-Type", CONTENT_TYPE)
          .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
          .end(response.encode());
    } catch (ServiceError e) {
      error(context, 400, e.code, e.getMessage());
    }
  }

  private synchronized Fault takeFault(String operation) {
    if (faultsLeft <= 0 || (faultOperation != null && !faultOperation.equals(operation))) {
      return null;
    }
    faultsLeft--;
    return fault;
  }

  private synchronized JsonObject dispatch(String operation, JsonObject request) {
    switch (operation) {
      case "StartExecution":
        return startExecution(request);
      case "DescribeExecution":
        return describeExecution(request);
      case "GetExecutionHistory":
        return getExecutionHistory(request);
      case "SendTaskSuccess":
        return sendTaskSuccess(request);
      case "SendTaskFailure":
        return sendTaskFailure(request);
      case "SendTaskHeartbeat":
        return sendTaskHeartbeat(request);
      case "ListExecutions":
        return listExecutions(request);
      case "DescribeStateMachine":
        return describeStateMachine(request);
      default:
        throw new ServiceError("UnknownOperationException", "Unknown operation " + operation);
    }
  }

  private JsonObject startExecution(JsonObject request) {
    if (!STATE_MACHINE.value().equals(request.getString("stateMachineArn"))) {
      throw new ServiceError(
          "StateMachineDoesNotExist",
          "State Machine Does Not Exist: '" + request.getString("stateMachineArn") + "'");
    }
    String name = request.getString("name", UUID.randomUUID().toString());
    if (!NAME_FORMAT.matcher(name).matches()) {
      throw new ServiceError("InvalidName", "Invalid Name: '" + name + "'");
    }
    String input = request.getString("input", "{}");
    try {
      Json.decodeValue(input);
    } catch (DecodeException e) {
      throw new ServiceError("InvalidExecutionInput", "Invalid State Machine Execution Input");
    }
    Execution existing = executions.get(name);
    if (existing != null) {
      if (existing.status.equals("RUNNING") && existing.input.equals(input)) {
        return started(existing);
      }
      throw new ServiceError(
          "ExecutionAlreadyExists", "Execution Already Exists: '" + existing.arn + "'");
    }
    Execution execution = new Execution(name, input);
    executions.put(name, execution);
    execution.record(
        "ExecutionStarted",
        "executionStartedEventDetails",
        new JsonObject()
            .put("input", input)
            .put("inputDetails", new JsonObject().put("truncated", false))
            .put("roleArn", "arn:aws:iam::123456789012:role/loan-processor"));
    return started(execution);
  }

  private static JsonObject started(Execution execution) {
    return new JsonObject()
        .put("executionArn", execution.arn)
        .put("startDate", epochSeconds(execution.startDate));
  }

  private JsonObject describeExecution(JsonObject request) {
    Execution execution = execution(request.getString("executionArn"));
    boolean includeData = !"METADATA_ONLY".equals(request.getString("includedData"));
    JsonObject response =
        new JsonObject()
            .put("executionArn", execution.arn)
            .put("stateMachineArn", STATE_MACHINE.value())
            .put("name", execution.name)
            .put("status", execution.status)
            .put("startDate", epochSeconds(execution.startDate))
            .put("redriveCount", 0);
    if (execution.stopDate != null) {
      response.put("stopDate", epochSeconds(execution.stopDate));
    }
    if (includeData) {
      response.put("input", execution.input).put("inputDetails", included());
      if (execution.output != null) {
        response.put("output", execution.output).put("outputDetails", included());
      }
    }
    if (execution.error != null) {
      response.put("error", execution.error);
    }
    if (execution.cause != null) {
      response.put("cause", execution.cause);
    }
    return response;
  }

  private JsonObject getExecutionHistory(JsonObject request) {
    Execution execution = execution(request.getString("executionArn"));
    List<JsonObject> events = new ArrayList<>(execution.events);
    if (request.getBoolean("reverseOrder", false)) {
      Collections.reverse(events);
    }
    int from = 0;
    String nextToken = request.getString("nextToken");
    if (nextToken != null) {
      try {
        from = Integer.parseInt(nextToken.substring("page-".length()));
      } catch (RuntimeException e) {
        throw new ServiceError("InvalidToken", "Invalid Token: 'Invalid pagination token'");
      }
    }
    int maxResults = request.getInteger("maxResults", 0);
    int pageSize = Math.min(maxResults <= 0 ? 100 : maxResults, historyPageSize);
    int to = Math.min(events.size(), from + pageSize);
    JsonArray page = new JsonArray();
    events.subList(from, to).forEach(page::add);
    JsonObject response = new JsonObject().put("events", page);
    if (to < events.size()) {
      response.put("nextToken", "page-" + to);
    }
    return response;
  }

  private JsonObject sendTaskSuccess(JsonObject request) {
    Task task = openTask(request.getString("taskToken"));
    String output = request.getString("output", "");
    try {
      Json.decodeValue(output);
    } catch (DecodeException e) {
      throw new ServiceError("InvalidOutput", "Invalid Output: 'Cannot parse the task output'");
    }
    task.open = false;
    Execution execution = task.execution;
    execution.record(
        "TaskSucceeded",
        "taskSucceededEventDetails",
        lambda()
            .put("output", output)
            .put("outputDetails", new JsonObject().put("truncated", false)));
    execution.record(
        "TaskStateExited",
        "stateExitedEventDetails",
        new JsonObject().put("name", TASK_STATE).put("output", output));
    execution.record(
        "ExecutionSucceeded",
        "executionSucceededEventDetails",
        new JsonObject().put("output", output));
    execution.finish("SUCCEEDED", output, null, null);
    return new JsonObject();
  }

  private JsonObject sendTaskFailure(JsonObject request) {
    Task task = openTask(request.getString("taskToken"));
    String error = request.getString("error");
    String cause = request.getString("cause");
    task.open = false;
    Execution execution = task.execution;
    execution.record(
        "TaskFailed", "taskFailedEventDetails", lambda().put("error", error).put("cause", cause));
    execution.record(
        "ExecutionFailed",
        "executionFailedEventDetails",
        new JsonObject().put("error", error).put("cause", cause));
    execution.finish("FAILED", null, error, cause);
    return new JsonObject();
  }

  /** Newest first, optionally by status, in pages of {@code maxResults} ("page-<offset>"). */
  private JsonObject listExecutions(JsonObject request) {
    requireStateMachine(request);
    String status = request.getString("statusFilter");
    List<Execution> newestFirst = new ArrayList<>(executions.values());
    Collections.reverse(newestFirst);
    newestFirst.removeIf(execution -> status != null && !status.equals(execution.status));
    int from =
        request.getString("nextToken") == null
            ? 0
            : Integer.parseInt(request.getString("nextToken").substring("page-".length()));
    int maxResults = request.getInteger("maxResults", 0);
    int to = Math.min(newestFirst.size(), from + (maxResults <= 0 ? 100 : maxResults));
    JsonArray page = new JsonArray();
    for (Execution execution : newestFirst.subList(from, to)) {
      JsonObject item =
          new JsonObject()
              .put("executionArn", execution.arn)
              .put("stateMachineArn", STATE_MACHINE.value())
              .put("name", execution.name)
              .put("status", execution.status)
              .put("startDate", epochSeconds(execution.startDate));
      if (execution.stopDate != null) {
        item.put("stopDate", epochSeconds(execution.stopDate));
      }
      page.add(item);
    }
    JsonObject response = new JsonObject().put("executions", page);
    if (to < newestFirst.size()) {
      response.put("nextToken", "page-" + to);
    }
    return response;
  }

  /** A one-state definition, standing for the deployed one. */
  private JsonObject describeStateMachine(JsonObject request) {
    requireStateMachine(request);
    return new JsonObject()
        .put("stateMachineArn", STATE_MACHINE.value())
        .put("name", "loan-processor")
        .put("status", "ACTIVE")
        .put("definition", DEFINITION)
        .put("roleArn", "arn:aws:iam::123456789012:role/loan-processor")
        .put("type", "STANDARD")
        .put("creationDate", epochSeconds(Instant.EPOCH));
  }

  private static void requireStateMachine(JsonObject request) {
    if (!STATE_MACHINE.value().equals(request.getString("stateMachineArn"))) {
      throw new ServiceError(
          "StateMachineDoesNotExist",
          "State Machine Does Not Exist: '" + request.getString("stateMachineArn") + "'");
    }
  }

  private JsonObject sendTaskHeartbeat(JsonObject request) {
    openTask(request.getString("taskToken"));
    return new JsonObject();
  }

  private Task openTask(String token) {
    if (token == null || !TOKEN_FORMAT.matcher(token).matches()) {
      throw new ServiceError("InvalidToken", "Invalid Token: 'Unable to parse the token'");
    }
    Task task = tasks.get(token);
    if (task == null) {
      throw new ServiceError("TaskDoesNotExist", "Task Does Not Exist");
    }
    if (!task.open || !task.execution.status.equals("RUNNING")) {
      throw new ServiceError("TaskTimedOut", "Provided task does not exist anymore");
    }
    return task;
  }

  private Execution execution(String executionArn) {
    String prefix = STATE_MACHINE.executionArn("");
    if (executionArn == null || !executionArn.startsWith("arn:aws:states:")) {
      throw new ServiceError("InvalidArn", "Invalid Arn: '" + executionArn + "'");
    }
    Execution execution =
        executionArn.startsWith(prefix)
            ? executions.get(executionArn.substring(prefix.length()))
            : null;
    if (execution == null) {
      throw new ServiceError(
          "ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
    }
    return execution;
  }

  private static JsonObject lambda() {
    return new JsonObject()
        .put("resourceType", "lambda")
        .put("resource", "invoke.waitForTaskToken");
  }

  private static JsonObject included() {
    return new JsonObject().put("included", true);
  }

  /** Epoch seconds with milliseconds, the JSON 1.0 protocol's timestamp format. */
  private static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
  }

  private static void error(RoutingContext context, int status, String code, String message) {
    context
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .end(new JsonObject().put("__type", code).put("message", message).encode());
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("local Step Functions did not start or stop", e);
    }
  }

  private static final class Execution {
    final String name;
    final String arn;
    final String input;
    final Instant startDate = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    final List<JsonObject> events = new ArrayList<>();
    String status = "RUNNING";
    Instant stopDate;
    String output;
    String error;
    String cause;

    Execution(String name, String input) {
      this.name = name;
      this.arn = STATE_MACHINE.executionArn(name);
      this.input = input;
    }

    void record(String type, String detailsField, JsonObject details) {
      long id = events.size() + 1L;
      events.add(
          new JsonObject()
              .put("timestamp", epochSeconds(Instant.now()))
              .put("type", type)
              .put("id", id)
              .put("previousEventId", id - 1)
              .put(detailsField, details));
    }

    void finish(String finalStatus, String finalOutput, String finalError, String finalCause) {
      status = finalStatus;
      output = finalOutput;
      error = finalError;
      cause = finalCause;
      stopDate = Instant.now();
    }
  }

  private static final class Task {
    final Execution execution;
    boolean open = true;

    Task(Execution execution) {
      this.execution = execution;
    }
  }

  private static final class ServiceError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    ServiceError(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
