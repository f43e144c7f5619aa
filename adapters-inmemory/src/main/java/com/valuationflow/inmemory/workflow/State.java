package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One parsed state of a definition. Path fields hold null where the definition sets them to JSON
 * {@code null}; see {@link DataFlow}.
 */
sealed interface State
    permits State.Pass,
        State.Task,
        State.Choice,
        State.Wait,
        State.Succeed,
        State.Fail,
        State.Parallel,
        State.MapState {

  String name();

  /** The {@code Type}, which also prefixes the state's history events. */
  String type();

  /** A state with {@code Retry} and {@code Catch}: Task, Parallel and Map. */
  interface Recoverable {
    List<Retrier> retriers();

    List<Catcher> catchers();
  }

  /** Where a state goes on: the next state's name, or null when it ends the execution. */
  record Transition(String next) {
    boolean isEnd() {
      return next == null;
    }
  }

  record Pass(
      String name,
      Transition transition,
      JsonPath inputPath,
      JsonPath outputPath,
      JsonNode parameters,
      JsonNode result,
      JsonPath resultPath)
      implements State {
    @Override
    public String type() {
      return "Pass";
    }
  }

  record Task(
      String name,
      Transition transition,
      JsonPath inputPath,
      JsonPath outputPath,
      JsonNode parameters,
      JsonNode resultSelector,
      JsonPath resultPath,
      TaskResource resource,
      String functionArn,
      Integer timeoutSeconds,
      JsonPath timeoutSecondsPath,
      Integer heartbeatSeconds,
      JsonPath heartbeatSecondsPath,
      List<Retrier> retriers,
      List<Catcher> catchers)
      implements State, Recoverable {
    @Override
    public String type() {
      return "Task";
    }
  }

  record Parallel(
      String name,
      Transition transition,
      JsonPath inputPath,
      JsonPath outputPath,
      JsonNode parameters,
      JsonNode resultSelector,
      JsonPath resultPath,
      List<StateMachineDefinition> branches,
      List<Retrier> retriers,
      List<Catcher> catchers)
      implements State, Recoverable {
    @Override
    public String type() {
      return "Parallel";
    }
  }

  /** An inline Map state. */
  record MapState(
      String name,
      Transition transition,
      JsonPath inputPath,
      JsonPath outputPath,
      JsonPath itemsPath,
      JsonNode itemSelector,
      JsonNode resultSelector,
      JsonPath resultPath,
      StateMachineDefinition processor,
      Integer maxConcurrency,
      JsonPath maxConcurrencyPath,
      Double toleratedFailurePercentage,
      JsonPath toleratedFailurePercentagePath,
      Integer toleratedFailureCount,
      JsonPath toleratedFailureCountPath,
      List<Retrier> retriers,
      List<Catcher> catchers)
      implements State, Recoverable {
    @Override
    public String type() {
      return "Map";
    }
  }

  record Choice(
      String name,
      JsonPath inputPath,
      JsonPath outputPath,
      List<ChoiceRule> choices,
      String defaultNext)
      implements State {
    @Override
    public String type() {
      return "Choice";
    }
  }

  /** Exactly one of seconds, secondsPath, timestamp and timestampPath is set. */
  record Wait(
      String name,
      Transition transition,
      JsonPath inputPath,
      JsonPath outputPath,
      Long seconds,
      JsonPath secondsPath,
      Instant timestamp,
      JsonPath timestampPath)
      implements State {
    @Override
    public String type() {
      return "Wait";
    }
  }

  record Succeed(String name, JsonPath inputPath, JsonPath outputPath) implements State {
    @Override
    public String type() {
      return "Succeed";
    }
  }

  /** {@code errorPath} and {@code causePath} hold a path or an intrinsic function call. */
  record Fail(String name, String error, String errorPath, String cause, String causePath)
      implements State {
    @Override
    public String type() {
      return "Fail";
    }
  }

  /**
   * A Task's {@code Resource}: the service integrations this engine runs, and a Lambda function
   * named by its ARN, which Step Functions invokes directly with its own history events.
   */
  enum TaskResource {
    LAMBDA_INVOKE("arn:aws:states:::lambda:invoke", "invoke"),
    LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN(
        "arn:aws:states:::lambda:invoke.waitForTaskToken", "invoke.waitForTaskToken"),
    LAMBDA_FUNCTION("arn:aws:lambda:<region>:<account>:function:<name>", "function");

    private final String arn;
    private final String resource;

    TaskResource(String arn, String resource) {
      this.arn = arn;
      this.resource = resource;
    }

    String arn() {
      return arn;
    }

    /** The {@code resourceType} of the task's history events. */
    String resourceType() {
      return "lambda";
    }

    /** The {@code resource} of the task's history events. */
    String resource() {
      return resource;
    }

    boolean waitsForTaskToken() {
      return this == LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN;
    }

    /** Whether the function is invoked directly: {@code LambdaFunction...} history events. */
    boolean isFunctionArn() {
      return this == LAMBDA_FUNCTION;
    }
  }

  enum Jitter {
    NONE,
    FULL
  }

  record Retrier(
      List<String> errorEquals,
      int intervalSeconds,
      int maxAttempts,
      double backoffRate,
      Integer maxDelaySeconds,
      Jitter jitter) {

    boolean matches(String error) {
      return errorEquals.stream().anyMatch(name -> StatesErrors.matches(name, error));
    }

    boolean matches(String error, boolean heartbeat) {
      return matches(error) || (heartbeat && errorEquals.contains(StatesErrors.HEARTBEAT_TIMEOUT));
    }

    /** The delay in seconds before retry number {@code attempt} (from 0), before jitter. */
    double delaySeconds(int attempt) {
      double delay = intervalSeconds * Math.pow(backoffRate, attempt);
      return maxDelaySeconds == null ? delay : Math.min(delay, maxDelaySeconds);
    }
  }

  record Catcher(List<String> errorEquals, String next, JsonPath resultPath) {
    boolean matches(String error) {
      return errorEquals.stream().anyMatch(name -> StatesErrors.matches(name, error));
    }

    boolean matches(String error, boolean heartbeat) {
      return matches(error) || (heartbeat && errorEquals.contains(StatesErrors.HEARTBEAT_TIMEOUT));
    }
  }

  record ChoiceRule(Condition condition, String next) {}
}
