package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.inmemory.workflow.ClosedTask.Reason;
import com.valuationflow.inmemory.workflow.State.Catcher;
import com.valuationflow.inmemory.workflow.State.ChoiceRule;
import com.valuationflow.inmemory.workflow.State.Jitter;
import com.valuationflow.inmemory.workflow.State.Retrier;
import com.valuationflow.inmemory.workflow.State.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One execution and its interpreter. Every method other than the constructor runs with the
 * execution's monitor held (see {@link WorkflowEngine#withLock}); work that must run without it,
 * such as listener calls and completing futures, is {@linkplain #defer deferred}.
 */
final class Execution {

  static final int MAX_HISTORY_EVENTS = 25_000;
  private static final int MAX_CAUSE_LENGTH = 32_768;
  private static final String REDACTED = "<redacted task token>";

  private final WorkflowEngine engine;
  private final StateMachineDefinition definition;
  private final String name;
  private final JsonNode input;
  private final Instant startDate;
  private static final Set<String> CLOSING_EVENTS =
      Set.of(
          "TaskSucceeded",
          "TaskFailed",
          "TaskTimedOut",
          "ExecutionSucceeded",
          "ExecutionFailed",
          "ExecutionTimedOut",
          "ExecutionAborted");

  private final List<HistoryEvent> history = new ArrayList<>();
  private final CompletableFuture<ExecutionSnapshot> completion = new CompletableFuture<>();
  private final List<Runnable> deferred = new ArrayList<>();
  private final Set<String> issuedTokens = new LinkedHashSet<>();

  private ExecutionStatus status = ExecutionStatus.RUNNING;
  private JsonNode output;
  private String error;
  private String cause;
  private Instant stopDate;
  private Visit currentVisit;
  private Attempt currentAttempt;
  private Future<?> pendingTimer;
  private Future<?> executionTimer;

  Execution(WorkflowEngine engine, StateMachineDefinition definition, String name, JsonNode input) {
    this.engine = engine;
    this.definition = definition;
    this.name = name;
    this.input = input;
    this.startDate = engine.now();
    record("ExecutionStarted", details("input", Json.write(input), "roleArn", engine.roleArn()));
  }

  /** A state being executed, from its StateEntered event until it exits or fails. */
  private static final class Visit {
    final State state;
    final JsonNode input;
    final long enteredEventId;
    final Instant enteredTime;
    final int[] retriesPerRetrier;
    int retryCount;

    Visit(State state, JsonNode input, long enteredEventId, Instant enteredTime) {
      this.state = state;
      this.input = input;
      this.enteredEventId = enteredEventId;
      this.enteredTime = enteredTime;
      this.retriesPerRetrier =
          new int[state instanceof State.Task task ? task.retriers().size() : 0];
    }

    State.Task task() {
      return (State.Task) state;
    }
  }

  /** One attempt at a Task: one scheduled invocation and, for a waiting task, one token. */
  static final class Attempt {
    private final Visit visit;
    private final String token;
    private final Integer heartbeatSeconds;
    private boolean open = true;
    private Future<?> invocation;
    private Future<?> timeoutTimer;
    private Future<?> heartbeatTimer;
    private int heartbeatGeneration;
    private long scheduledEventId;

    private Attempt(Visit visit, String token, Integer heartbeatSeconds) {
      this.visit = visit;
      this.token = token;
      this.heartbeatSeconds = heartbeatSeconds;
    }
  }

  private record Next(String state, JsonNode input) {}

  String name() {
    return name;
  }

  boolean isRunning() {
    return status == ExecutionStatus.RUNNING;
  }

  JsonNode input() {
    return input;
  }

  CompletableFuture<ExecutionSnapshot> completion() {
    return completion;
  }

  void defer(Runnable action) {
    deferred.add(action);
  }

  List<Runnable> drainDeferred() {
    List<Runnable> actions = List.copyOf(deferred);
    deferred.clear();
    return actions;
  }

  ExecutionSnapshot snapshot() {
    return new ExecutionSnapshot(
        name,
        status,
        Json.write(input),
        Optional.ofNullable(output).map(Json::write),
        Optional.ofNullable(error),
        Optional.ofNullable(cause),
        startDate,
        Optional.ofNullable(stopDate),
        history);
  }

  ExecutionSummary summary() {
    return new ExecutionSummary(name, status, startDate, Optional.ofNullable(stopDate));
  }

  void begin() {
    definition
        .timeoutSeconds()
        .ifPresent(
            seconds ->
                executionTimer = engine.schedule(this, seconds, () -> executionTimedOut(seconds)));
    run(new Next(definition.startAt(), input));
  }

  private void run(Next next) {
    while (next != null && isRunning()) {
      if (history.size() >= MAX_HISTORY_EVENTS) {
        failExecution(
            StatesErrors.RUNTIME,
            "The execution reached the limit of " + MAX_HISTORY_EVENTS + " history events");
        return;
      }
      next = enter(definition.state(next.state()), next.input());
    }
  }

  private Next enter(State state, JsonNode stateInput) {
    long entered =
        record(
            state.type() + "StateEntered",
            details("name", state.name(), "input", Json.write(stateInput)));
    Visit visit = new Visit(state, stateInput, entered, engine.now());
    currentVisit = visit;
    try {
      if (state instanceof State.Pass pass) {
        return pass(pass, visit);
      }
      if (state instanceof State.Task) {
        return startAttempt(visit);
      }
      if (state instanceof State.Choice choice) {
        return choice(choice, visit);
      }
      if (state instanceof State.Wait wait) {
        return waitState(wait, visit);
      }
      if (state instanceof State.Succeed succeed) {
        JsonNode context = context(visit, null);
        JsonNode out =
            DataFlow.outputPath(
                succeed.outputPath(),
                DataFlow.inputPath(succeed.inputPath(), stateInput, context),
                context);
        return exit(succeed, new Transition(null), out);
      }
      return fail((State.Fail) state, visit);
    } catch (WorkflowError e) {
      return stateFailed(visit, e);
    }
  }

  private Next pass(State.Pass pass, Visit visit) {
    JsonNode context = context(visit, null);
    JsonNode effective = DataFlow.inputPath(pass.inputPath(), visit.input, context);
    if (pass.parameters() != null) {
      effective = PayloadTemplate.resolve(pass.parameters(), effective, context);
    }
    JsonNode result = pass.result() != null ? pass.result() : effective;
    JsonNode out =
        DataFlow.outputPath(
            pass.outputPath(),
            DataFlow.resultPath(pass.resultPath(), visit.input, result),
            context);
    return exit(pass, pass.transition(), out);
  }

  private Next choice(State.Choice choice, Visit visit) {
    JsonNode context = context(visit, null);
    JsonNode effective = DataFlow.inputPath(choice.inputPath(), visit.input, context);
    String next = choice.defaultNext();
    for (ChoiceRule rule : choice.choices()) {
      if (rule.condition().test(effective, context)) {
        next = rule.next();
        break;
      }
    }
    if (next == null) {
      throw new WorkflowError(
          StatesErrors.NO_CHOICE_MATCHED,
          "No Choice Rule matched the input '"
              + Json.write(effective)
              + "' and the state has no 'Default'");
    }
    return exit(
        choice, new Transition(next), DataFlow.outputPath(choice.outputPath(), effective, context));
  }

  private Next waitState(State.Wait wait, Visit visit) {
    JsonNode context = context(visit, null);
    JsonNode effective = DataFlow.inputPath(wait.inputPath(), visit.input, context);
    JsonNode out = DataFlow.outputPath(wait.outputPath(), effective, context);
    Runnable elapsed =
        () -> {
          if (isRunning() && currentVisit == visit) {
            pendingTimer = null;
            run(exit(wait, wait.transition(), out));
          }
        };
    if (wait.seconds() != null) {
      pendingTimer = engine.schedule(this, wait.seconds(), elapsed);
    } else if (wait.secondsPath() != null) {
      JsonNode seconds = resolveReference(wait.secondsPath(), effective, context, "SecondsPath");
      if (!seconds.isIntegralNumber() || !seconds.canConvertToLong() || seconds.longValue() < 0) {
        throw WorkflowError.runtime(
            "The SecondsPath parameter does not reference a valid non-negative integer: "
                + Json.write(seconds));
      }
      pendingTimer = engine.schedule(this, seconds.longValue(), elapsed);
    } else {
      Instant until = wait.timestamp();
      if (until == null) {
        JsonNode timestamp =
            resolveReference(wait.timestampPath(), effective, context, "TimestampPath");
        until =
            Condition.timestamp(timestamp)
                .orElseThrow(
                    () ->
                        WorkflowError.runtime(
                            "The TimestampPath parameter does not reference a valid ISO-8601"
                                + " extended offset date-time format string: "
                                + Json.write(timestamp)));
      }
      pendingTimer = engine.scheduleAt(this, until, elapsed);
    }
    return null;
  }

  private Next fail(State.Fail fail, Visit visit) {
    JsonNode context = context(visit, null);
    String failError = fail.error();
    if (fail.errorPath() != null) {
      failError = textAt(fail.errorPath(), visit.input, context, "ErrorPath");
    }
    String failCause = fail.cause();
    if (fail.causePath() != null) {
      failCause = textAt(fail.causePath(), visit.input, context, "CausePath");
    }
    failExecution(failError, failCause);
    return null;
  }

  private Next startAttempt(Visit visit) {
    State.Task task = visit.task();
    String token = task.resource().waitsForTaskToken() ? engine.newToken() : null;
    if (token != null) {
      issuedTokens.add(token);
    }
    JsonNode context = context(visit, token);
    JsonNode effective = DataFlow.inputPath(task.inputPath(), visit.input, context);
    JsonNode parameters = PayloadTemplate.resolve(task.parameters(), effective, context);
    JsonNode functionName = parameters.get("FunctionName");
    if (functionName == null || !functionName.isTextual()) {
      throw WorkflowError.runtime(
          "The Parameters '"
              + redact(Json.write(parameters))
              + "' could not be used to start the Task: [The value for the field 'FunctionName'"
              + " must be a STRING]");
    }
    JsonNode payload = parameters.has("Payload") ? parameters.get("Payload") : Json.object();
    Integer timeout =
        seconds(task.timeoutSeconds(), task.timeoutSecondsPath(), effective, context, "Timeout");
    Integer heartbeat =
        seconds(
            task.heartbeatSeconds(), task.heartbeatSecondsPath(), effective, context, "Heartbeat");
    Attempt attempt = new Attempt(visit, token, token == null ? null : heartbeat);
    currentAttempt = attempt;
    if (token != null) {
      engine.bindToken(token, this, attempt);
    }
    Map<String, String> scheduled =
        taskDetails(task, "region", engine.region(), "parameters", Json.write(parameters));
    if (timeout != null) {
      scheduled.put("timeoutInSeconds", timeout.toString());
    }
    if (heartbeat != null) {
      scheduled.put("heartbeatInSeconds", heartbeat.toString());
    }
    attempt.scheduledEventId =
        record(
            "TaskScheduled",
            scheduled,
            engine.tokensInTaskParameters() ? Set.of("parameters") : Set.of());
    record("TaskStarted", taskDetails(task));
    if (timeout != null) {
      attempt.timeoutTimer =
          engine.schedule(
              this,
              timeout,
              () ->
                  taskTimedOut(
                      attempt,
                      StatesErrors.TIMEOUT,
                      "The task did not complete within " + timeout + " seconds"));
    }
    scheduleHeartbeat(attempt);
    attempt.invocation =
        engine.invoke(
            this,
            functionName.textValue(),
            payload,
            (result, failure) -> invocationCompleted(attempt, result, failure));
    return null;
  }

  private Integer seconds(
      Integer fixed, JsonPath path, JsonNode effective, JsonNode context, String field) {
    if (path == null) {
      return fixed;
    }
    JsonNode value = resolveReference(path, effective, context, field + "SecondsPath");
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
      throw WorkflowError.runtime(
          "The "
              + field
              + "SecondsPath parameter does not reference a valid positive integer: "
              + Json.write(value));
    }
    return value.intValue();
  }

  private void scheduleHeartbeat(Attempt attempt) {
    if (attempt.heartbeatSeconds == null) {
      return;
    }
    if (attempt.heartbeatTimer != null) {
      attempt.heartbeatTimer.cancel(false);
    }
    int generation = ++attempt.heartbeatGeneration;
    attempt.heartbeatTimer =
        engine.schedule(
            this,
            attempt.heartbeatSeconds,
            () -> {
              if (attempt.heartbeatGeneration == generation) {
                taskTimedOut(
                    attempt,
                    StatesErrors.HEARTBEAT_TIMEOUT,
                    "No heartbeat was received within " + attempt.heartbeatSeconds + " seconds");
              }
            });
  }

  private void invocationCompleted(Attempt attempt, JsonNode result, Throwable failure) {
    if (!attempt.open || !isRunning()) {
      return;
    }
    State.Task task = attempt.visit.task();
    if (failure != null) {
      String failureError;
      String failureCause;
      if (failure instanceof TaskFailedException failed) {
        failureError = failed.error();
        failureCause = failed.errorCause();
      } else {
        failureError = failure.getClass().getSimpleName();
        failureCause = failure.getMessage();
      }
      taskFailed(attempt, Reason.FAILED, failureError, failureCause);
      return;
    }
    ObjectNode response = Json.object();
    response.put("ExecutedVersion", "$LATEST");
    response.set("Payload", result);
    response.putObject("SdkHttpMetadata").put("HttpStatusCode", 200);
    response.putObject("SdkResponseMetadata").put("RequestId", UUID.randomUUID().toString());
    response.put("StatusCode", 200);
    if (task.resource().waitsForTaskToken()) {
      record("TaskSubmitted", taskDetails(task, "output", Json.write(response)));
    } else {
      taskSucceeded(attempt, response);
    }
  }

  /**
   * The event that closed the attempt's task ({@code TaskSucceeded}, {@code TaskFailed}, {@code
   * TaskTimedOut}) or its execution, if either closed; an execution runs one task at a time, so the
   * first such event after the task was scheduled is the one.
   */
  Optional<HistoryEvent> closingEvent(Attempt attempt) {
    return history.stream()
        .filter(event -> event.id() > attempt.scheduledEventId)
        .filter(event -> CLOSING_EVENTS.contains(event.type()))
        .findFirst();
  }

  ResumeOutcome sendSuccess(Attempt attempt, JsonNode taskOutput) {
    if (!attempt.open || !isRunning()) {
      return ResumeOutcome.TASK_TIMED_OUT;
    }
    taskSucceeded(attempt, taskOutput);
    return ResumeOutcome.RESUMED;
  }

  ResumeOutcome sendFailure(Attempt attempt, String failureError, String failureCause) {
    if (!attempt.open || !isRunning()) {
      return ResumeOutcome.TASK_TIMED_OUT;
    }
    taskFailed(attempt, Reason.FAILED, failureError, failureCause);
    return ResumeOutcome.RESUMED;
  }

  ResumeOutcome sendHeartbeat(Attempt attempt) {
    if (!attempt.open || !isRunning()) {
      return ResumeOutcome.TASK_TIMED_OUT;
    }
    scheduleHeartbeat(attempt);
    return ResumeOutcome.RESUMED;
  }

  private void taskSucceeded(Attempt attempt, JsonNode result) {
    State.Task task = attempt.visit.task();
    close(attempt, Reason.SUCCEEDED, null);
    record("TaskSucceeded", taskDetails(task, "output", Json.write(result)));
    Visit visit = attempt.visit;
    Next next;
    try {
      JsonNode context = context(visit, null);
      JsonNode selected =
          task.resultSelector() == null
              ? result
              : PayloadTemplate.resolve(task.resultSelector(), result, context);
      JsonNode out =
          DataFlow.outputPath(
              task.outputPath(),
              DataFlow.resultPath(task.resultPath(), visit.input, selected),
              context);
      next = exit(task, task.transition(), out);
    } catch (WorkflowError e) {
      next = stateFailed(visit, e);
    }
    run(next);
  }

  private void taskFailed(
      Attempt attempt, Reason reason, String failureError, String failureCause) {
    State.Task task = attempt.visit.task();
    close(attempt, reason, failureError);
    record("TaskFailed", taskDetails(task, "error", failureError, "cause", failureCause));
    run(recover(attempt.visit, failureError, failureCause));
  }

  private void taskTimedOut(Attempt attempt, String timeoutError, String timeoutCause) {
    if (!attempt.open || !isRunning()) {
      return;
    }
    State.Task task = attempt.visit.task();
    close(attempt, Reason.TIMED_OUT, timeoutError);
    record("TaskTimedOut", taskDetails(task, "error", timeoutError, "cause", timeoutCause));
    run(recover(attempt.visit, timeoutError, timeoutCause));
  }

  private void close(Attempt attempt, Reason reason, String closeError) {
    attempt.open = false;
    cancel(attempt.timeoutTimer);
    cancel(attempt.heartbeatTimer);
    if (reason == Reason.TIMED_OUT || reason == Reason.EXECUTION_ENDED) {
      cancel(attempt.invocation);
    }
    if (currentAttempt == attempt) {
      currentAttempt = null;
    }
    if (attempt.token != null) {
      ClosedTask closed =
          new ClosedTask(
              TaskToken.of(attempt.token),
              name,
              attempt.visit.state.name(),
              reason,
              Optional.ofNullable(closeError));
      defer(() -> engine.taskClosed(closed));
    }
  }

  /** A State failed with an error: failed by a Runtime error, or else retried or caught. */
  private Next stateFailed(Visit visit, WorkflowError e) {
    String failureCause = describe(visit, e);
    if (visit.state instanceof State.Task) {
      return recover(visit, e.error(), failureCause);
    }
    failExecution(e.error(), failureCause);
    return null;
  }

  /** The cause of an error, located as AWS locates Runtime errors. */
  private static String describe(Visit visit, WorkflowError e) {
    if (!StatesErrors.RUNTIME.equals(e.error())) {
      return e.errorCause();
    }
    return "An error occurred while executing the state '"
        + visit.state.name()
        + "' (entered at the event id #"
        + visit.enteredEventId
        + "). "
        + e.errorCause();
  }

  /** Applies the Task's Retry and Catch to an error, per the spec's error-handling rules. */
  private Next recover(Visit visit, String failureError, String failureCause) {
    State.Task task = visit.task();
    if (!StatesErrors.isTerminal(failureError)) {
      List<Retrier> retriers = task.retriers();
      for (int i = 0; i < retriers.size(); i++) {
        Retrier retrier = retriers.get(i);
        if (!retrier.matches(failureError)) {
          continue;
        }
        if (visit.retriesPerRetrier[i] < retrier.maxAttempts()) {
          double delay = retrier.delaySeconds(visit.retriesPerRetrier[i]);
          if (retrier.jitter() == Jitter.FULL) {
            delay = ThreadLocalRandom.current().nextDouble() * delay;
          }
          visit.retriesPerRetrier[i]++;
          visit.retryCount++;
          pendingTimer =
              engine.schedule(
                  this,
                  delay,
                  () -> {
                    if (isRunning() && currentVisit == visit && currentAttempt == null) {
                      pendingTimer = null;
                      Next next;
                      try {
                        next = startAttempt(visit);
                      } catch (WorkflowError e) {
                        next = stateFailed(visit, e);
                      }
                      run(next);
                    }
                  });
          return null;
        }
        break;
      }
      for (Catcher catcher : task.catchers()) {
        if (catcher.matches(failureError)) {
          ObjectNode errorOutput = Json.object();
          errorOutput.put("Error", failureError);
          if (failureCause != null) {
            errorOutput.put("Cause", failureCause);
          }
          JsonNode out;
          try {
            out = DataFlow.resultPath(catcher.resultPath(), visit.input, errorOutput);
          } catch (WorkflowError e) {
            failExecution(e.error(), describe(visit, e));
            return null;
          }
          record("TaskStateExited", details("name", task.name(), "output", Json.write(out)));
          return new Next(catcher.next(), out);
        }
      }
    }
    failExecution(failureError, failureCause);
    return null;
  }

  private Next exit(State state, Transition transition, JsonNode out) {
    record(state.type() + "StateExited", details("name", state.name(), "output", Json.write(out)));
    if (transition.isEnd()) {
      finish(ExecutionStatus.SUCCEEDED, out, null, null);
      record("ExecutionSucceeded", details("output", Json.write(out)));
      completeLater();
      return null;
    }
    return new Next(transition.next(), out);
  }

  private void failExecution(String failError, String failCause) {
    finish(ExecutionStatus.FAILED, null, failError, failCause);
    record("ExecutionFailed", details("error", error, "cause", cause));
    completeLater();
  }

  private void executionTimedOut(int seconds) {
    if (!isRunning()) {
      return;
    }
    finish(
        ExecutionStatus.TIMED_OUT,
        null,
        StatesErrors.TIMEOUT,
        "The execution did not complete within its TimeoutSeconds of " + seconds);
    record("ExecutionTimedOut", details("error", error, "cause", cause));
    completeLater();
  }

  boolean stop(String stopError, String stopCause) {
    if (!isRunning()) {
      return false;
    }
    finish(ExecutionStatus.ABORTED, null, stopError, stopCause);
    record("ExecutionAborted", details("error", error, "cause", cause));
    completeLater();
    return true;
  }

  private void finish(
      ExecutionStatus finalStatus, JsonNode finalOutput, String finalError, String finalCause) {
    status = finalStatus;
    output = finalOutput;
    error = finalError == null ? null : redact(finalError);
    cause = finalCause == null ? null : truncate(redact(finalCause));
    stopDate = engine.now();
    cancel(pendingTimer);
    cancel(executionTimer);
    if (currentAttempt != null) {
      close(currentAttempt, Reason.EXECUTION_ENDED, finalError);
    }
    currentVisit = null;
    Instant stoppedAt = stopDate;
    List<String> tokens = List.copyOf(issuedTokens);
    defer(() -> engine.executionFinished(this, stoppedAt, tokens));
  }

  private void completeLater() {
    ExecutionSnapshot snapshot = snapshot();
    defer(() -> completion.complete(snapshot));
  }

  private JsonNode context(Visit visit, String token) {
    ObjectNode context = Json.object();
    ObjectNode execution = context.putObject("Execution");
    execution.put("Id", engine.executionArn(name));
    execution.set("Input", input);
    execution.put("Name", name);
    execution.put("RoleArn", engine.roleArn());
    execution.put("StartTime", startDate.toString());
    execution.put("RedriveCount", 0);
    ObjectNode state = context.putObject("State");
    state.put("EnteredTime", visit.enteredTime.toString());
    state.put("Name", visit.state.name());
    state.put("RetryCount", visit.retryCount);
    ObjectNode stateMachine = context.putObject("StateMachine");
    stateMachine.put("Id", engine.stateMachineArn());
    stateMachine.put("Name", engine.stateMachineName());
    if (token != null) {
      context.putObject("Task").put("Token", token);
    }
    return context;
  }

  private static JsonNode resolveReference(
      JsonPath path, JsonNode effective, JsonNode context, String field) {
    return DataFlow.find(path, effective, context)
        .orElseThrow(
            () ->
                WorkflowError.runtime(
                    "The " + field + " '" + path.text() + "' could not be found in the input"));
  }

  private static String textAt(JsonPath path, JsonNode data, JsonNode context, String field) {
    JsonNode value = resolveReference(path, data, context, field);
    if (!value.isTextual()) {
      throw WorkflowError.runtime("The " + field + " '" + path.text() + "' must select a string");
    }
    return value.textValue();
  }

  private static Map<String, String> taskDetails(State.Task task, String... more) {
    Map<String, String> details =
        details(
            "resourceType", task.resource().resourceType(), "resource", task.resource().resource());
    details.putAll(details(more));
    return details;
  }

  /** Key-value pairs; null values are left out. */
  private static Map<String, String> details(String... pairs) {
    Map<String, String> details = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        details.put(pairs[i], pairs[i + 1]);
      }
    }
    return details;
  }

  /**
   * Records an event. Its previous event is the one before, except as Step Functions records it:
   * the first state's entry and a stop ({@code ExecutionAborted}) follow no event (0).
   */
  private long record(String type, Map<String, String> details) {
    return record(type, details, Set.of());
  }

  /** As {@link #record(String, Map)}, keeping task tokens in the details named. */
  private long record(String type, Map<String, String> details, Set<String> keepTokensIn) {
    long id = history.size() + 1L;
    boolean followsNone =
        (id == 2 && type.endsWith("StateEntered")) || type.equals("ExecutionAborted");
    Map<String, String> safe = new LinkedHashMap<>();
    details.forEach(
        (key, value) -> safe.put(key, keepTokensIn.contains(key) ? value : redact(value)));
    HistoryEvent event = new HistoryEvent(id, followsNone ? 0 : id - 1, engine.now(), type, safe);
    history.add(event);
    if (engine.hasHistoryListeners()) {
      defer(() -> engine.eventRecorded(name, event));
    }
    return id;
  }

  private String redact(String text) {
    String safe = text;
    for (String token : issuedTokens) {
      safe = safe.replace(token, REDACTED);
    }
    return safe;
  }

  private static String truncate(String text) {
    return text.length() <= MAX_CAUSE_LENGTH ? text : text.substring(0, MAX_CAUSE_LENGTH);
  }

  private static void cancel(Future<?> future) {
    if (future != null) {
      future.cancel(true);
    }
  }
}
