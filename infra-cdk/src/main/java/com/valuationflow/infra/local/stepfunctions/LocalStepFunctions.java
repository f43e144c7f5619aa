package com.valuationflow.infra.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.infra.local.AwsJson;
import com.valuationflow.infra.local.AwsJsonService;
import com.valuationflow.infra.local.AwsServiceError;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.TaskHandler;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * AWS Step Functions, locally: Standard state machines run by in-memory {@link WorkflowEngine}s,
 * one per state machine, behind the service's AWS JSON 1.0 API ({@code X-Amz-Target:
 * AWSStepFunctions.<Operation>}).
 *
 * <p>Operations: {@code StartExecution}, {@code DescribeExecution}, {@code StopExecution}, {@code
 * ListExecutions}, {@code GetExecutionHistory}, {@code SendTaskSuccess}, {@code SendTaskFailure},
 * {@code SendTaskHeartbeat}, {@code DescribeStateMachine}, {@code ListStateMachines} and {@code
 * DescribeStateMachineForExecution}. State machines are created by {@link #createStateMachine}, not
 * through the API. Thread-safe; {@link #close()} stops every engine.
 */
public final class LocalStepFunctions implements AwsJsonService, AutoCloseable {

  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

  private final String region;
  private final String accountId;
  private final Clock clock;
  private final Duration secondLength;
  private final int maxConcurrentInvocations;
  private final StateMachines machines;
  private final Map<String, Function<JsonNode, JsonNode>> operations;
  private final TaskOperations tasks;

  /** A service in real time: one ASL second lasts a second, on the system clock. */
  public LocalStepFunctions(String region, String accountId) {
    this(builder(region, accountId));
  }

  private LocalStepFunctions(Builder builder) {
    this.region = builder.region;
    this.accountId = builder.accountId;
    this.clock = builder.clock;
    this.secondLength = builder.secondLength;
    this.maxConcurrentInvocations = builder.maxConcurrentInvocations;
    this.machines = new StateMachines(region, accountId);
    ExecutionOperations executions = new ExecutionOperations(machines);
    ExecutionHistory history = new ExecutionHistory(machines);
    StateMachineOperations stateMachines = new StateMachineOperations(machines);
    this.tasks = new TaskOperations(machines);
    this.operations =
        Map.ofEntries(
            Map.entry("StartExecution", executions::start),
            Map.entry("DescribeExecution", executions::describe),
            Map.entry("StopExecution", executions::stop),
            Map.entry("ListExecutions", executions::list),
            Map.entry("GetExecutionHistory", history::get),
            Map.entry("SendTaskSuccess", tasks::success),
            Map.entry("SendTaskFailure", tasks::failure),
            Map.entry("SendTaskHeartbeat", tasks::heartbeat),
            Map.entry("DescribeStateMachine", stateMachines::describe),
            Map.entry("ListStateMachines", stateMachines::list),
            Map.entry(
                "DescribeStateMachineForExecution",
                request -> executions.describeStateMachineFor(request, stateMachines)));
  }

  public static Builder builder(String region, String accountId) {
    return new Builder(region, accountId);
  }

  /**
   * Creates a Standard state machine and its engine.
   *
   * @param name 1 to 80 characters, as an execution name
   * @param definitionJson Amazon States Language, as {@link StateMachineDefinition#parse} accepts
   * @param roleArn the execution role, shown in {@code DescribeStateMachine}, {@code
   *     ExecutionStarted} and {@code $$.Execution.RoleArn}
   * @param functions the Lambda functions its Task states may invoke, by function name or ARN (a
   *     Task naming a function by ARN also finds one registered by name)
   * @return {@code arn:aws:states:<region>:<account>:stateMachine:<name>}
   * @throws IllegalArgumentException for an invalid name or definition, or a name in use
   */
  public String createStateMachine(
      String name, String definitionJson, String roleArn, Map<String, TaskHandler> functions) {
    if (!WorkflowEngine.isValidName(name)) {
      throw new IllegalArgumentException("Invalid state machine name: '" + name + "'");
    }
    Objects.requireNonNull(roleArn, "'roleArn' must not be null");
    Objects.requireNonNull(functions, "'functions' must not be null");
    StateMachineDefinition definition = StateMachineDefinition.parse(definitionJson);
    WorkflowEngine engine =
        WorkflowEngine.builder(definition)
            .stateMachineName(name)
            .region(region)
            .accountId(accountId)
            .roleArn(roleArn)
            .clock(clock)
            .secondLength(secondLength)
            .maxConcurrentInvocations(maxConcurrentInvocations)
            // As in Step Functions: whoever holds a token finds its task's events by it.
            .tokensInTaskParameters(true)
            .build();
    functions.forEach(engine::registerFunction);
    LocalStateMachine machine =
        new LocalStateMachine(
            name, engine.stateMachineArn(), definitionJson, roleArn, clock.instant(), engine);
    try {
      machines.add(machine);
    } catch (IllegalArgumentException e) {
      engine.close();
      throw e;
    }
    return machine.arn();
  }

  /**
   * The engine that runs a state machine, for listeners and waits.
   *
   * @throws AwsServiceError {@code InvalidArn} or {@code StateMachineDoesNotExist}
   */
  public WorkflowEngine engine(String stateMachineArn) {
    return machines.require(stateMachineArn).engine();
  }

  @Override
  public String targetPrefix() {
    return "AWSStepFunctions";
  }

  @Override
  public String iamPrefix() {
    return "states";
  }

  @Override
  public String contentType() {
    return "application/x-amz-json-1.0";
  }

  /**
   * The state machine ARN for {@code StartExecution}, {@code ListExecutions} and {@code
   * DescribeStateMachine}; the execution ARN for the operations on an execution; {@code *} for
   * {@code ListStateMachines}. For {@code SendTask*}, the ARN of the state machine that issued the
   * token, as {@code grantTaskResponse} grants; a token no state machine issued answers {@code
   * InvalidToken} here, before authorization, since it names no resource to authorize against.
   */
  @Override
  public String resourceOf(String operation, JsonNode request) {
    return switch (operation) {
      case "StartExecution", "ListExecutions", "DescribeStateMachine" -> {
        String arn = AwsJson.requiredString(request, "stateMachineArn");
        StatesArns.stateMachine(arn);
        yield arn;
      }
      case "DescribeExecution",
          "GetExecutionHistory",
          "StopExecution",
          "DescribeStateMachineForExecution" -> {
        String arn = AwsJson.requiredString(request, "executionArn");
        StatesArns.execution(arn);
        yield arn;
      }
      case "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat" -> tasks.issuer(request).arn();
      case "ListStateMachines" -> "*";
      default -> throw unknownOperation(operation);
    };
  }

  @Override
  public JsonNode call(String operation, JsonNode request) {
    Function<JsonNode, JsonNode> handler = operations.get(operation);
    if (handler == null) {
      throw unknownOperation(operation);
    }
    return handler.apply(request);
  }

  @Override
  public void close() {
    machines.all().forEach(machine -> machine.engine().close());
  }

  private static AwsServiceError unknownOperation(String operation) {
    return AwsServiceError.of(
        "UnknownOperationException", "Step Functions has no operation '" + operation + "' here");
  }

  /** Options of a {@link LocalStepFunctions}. */
  public static final class Builder {
    private final String region;
    private final String accountId;
    private Clock clock = Clock.systemUTC();
    private Duration secondLength = Duration.ofSeconds(1);
    private int maxConcurrentInvocations = WorkflowEngine.DEFAULT_MAX_CONCURRENT_INVOCATIONS;

    private Builder(String region, String accountId) {
      this.region = Objects.requireNonNull(region, "'region' must not be null");
      this.accountId = Objects.requireNonNull(accountId, "'accountId' must not be null");
      if (!ACCOUNT.matcher(accountId).matches()) {
        throw new IllegalArgumentException(
            "'accountId' must be 12 digits, was '" + accountId + "'");
      }
    }

    /** Where dates in answers and history come from; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
      return this;
    }

    /** How long one ASL second lasts for Wait, Retry and timeouts; default one second. */
    public Builder secondLength(Duration secondLength) {
      this.secondLength = Objects.requireNonNull(secondLength, "'secondLength' must not be null");
      return this;
    }

    /** How many Task handlers each state machine runs at once; see {@link WorkflowEngine}. */
    public Builder maxConcurrentInvocations(int maxConcurrentInvocations) {
      this.maxConcurrentInvocations = maxConcurrentInvocations;
      return this;
    }

    public LocalStepFunctions build() {
      return new LocalStepFunctions(this);
    }
  }
}
