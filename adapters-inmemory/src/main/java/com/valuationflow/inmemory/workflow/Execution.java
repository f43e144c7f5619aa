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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 *
 * <p>The execution runs states in {@link Frame}s: the execution's own, and one per Parallel branch
 * and Map iteration running, each with its current state, task attempt and timer. Parallel and Map
 * states run their branches and iterations through {@link ParallelAndMap}.
 */
final class Execution {

  static final int MAX_HISTORY_EVENTS = 25_000;
  private static final int MAX_CAUSE_LENGTH = 32_768;
  private static final String REDACTED = "<redacted task token>";
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

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
          "LambdaFunctionSucceeded",
          "LambdaFunctionFailed",
          "LambdaFunctionTimedOut",
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
  private Future<?> executionTimer;
  private final Frame root;
  private final ParallelAndMap parallelAndMap = new ParallelAndMap(this);

  Execution(WorkflowEngine engine, StateMachineDefinition definition, String name, JsonNode input) {
    this.engine = engine;
    this.definition = definition;
    this.name = name;
    this.input = input;
    this.startDate = engine.now();
    this.root = new Frame(definition, null, 0);
    record("ExecutionStarted", details("input", Json.write(input), "roleArn", engine.roleArn()));
  }

  /** A thread of control: the execution's own, a Parallel branch or a Map iteration. */
  static final class Frame {
    final StateMachineDefinition machine;
    final ParallelAndMap.Block parent;
    final int index;
    boolean alive = true;
    Visit currentVisit;
    Attempt currentAttempt;
    Future<?> pendingTimer;
    ParallelAndMap.Block activeBlock;

    Frame(StateMachineDefinition machine, ParallelAndMap.Block parent, int index) {
      this.machine = machine;
      this.parent = parent;
      this.index = index;
    }
  }

  /** A state being executed, from its StateEntered event until it exits or fails. */
  static final class Visit {
    final Frame frame;
    final State state;
    final JsonNode input;
    final long enteredEventId;
    final Instant enteredTime;
    final int[] retriesPerRetrier;
    int retryCount;
    boolean blockStarted;

    Visit(Frame frame, State state, JsonNode input, long enteredEventId, Instant enteredTime) {
      this.frame = frame;
      this.state = state;
      this.input = input;
      this.enteredEventId = enteredEventId;
      this.enteredTime = enteredTime;
      this.retriesPerRetrier =
          new int[state instanceof State.Recoverable r ? r.retriers().size() : 0];
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
    private long closingEventId;

    private Attempt(Visit visit, String token, Integer heartbeatSeconds) {
      this.visit = visit;
      this.token = token;
      this.heartbeatSeconds = heartbeatSeconds;
    }
  }

  record Next(String state, JsonNode input) {}

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
    run(root, new Next(definition.startAt(), input));
  }

  void run(Frame frame, Next next) {
    while (next != null && isRunning() && frame.alive) {
      if (history.size() >= MAX_HISTORY_EVENTS) {
        failExecution(
            StatesErrors.RUNTIME,
            "The execution reached the limit of " + MAX_HISTORY_EVENTS + " history events");
        return;
      }
      next = enter(frame, frame.machine.state(next.state()), next.input());
    }
  }

  private Next enter(Frame frame, State state, JsonNode stateInput) {
    long entered =
        record(
            state.type() + "StateEntered",
            details("name", state.name(), "input", Json.write(stateInput)));
    Visit visit = new Visit(frame, state, stateInput, entered, engine.now());
    frame.currentVisit = visit;
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
      if (state instanceof State.Parallel) {
        return parallelAndMap.startParallel(visit);
      }
      if (state instanceof State.MapState) {
        return parallelAndMap.startMap(visit);
      }
      if (state instanceof State.Succeed succeed) {
        JsonNode context = context(visit, null);
        JsonNode out =
            DataFlow.outputPath(
                succeed.outputPath(),
                DataFlow.inputPath(succeed.inputPath(), stateInput, context),
                context);
        return exit(visit, new Transition(null), out);
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
    return exit(visit, pass.transition(), out);
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
        visit, new Transition(next), DataFlow.outputPath(choice.outputPath(), effective, context));
  }

  private Next waitState(State.Wait wait, Visit visit) {
    JsonNode context = context(visit, null);
    JsonNode effective = DataFlow.inputPath(wait.inputPath(), visit.input, context);
    JsonNode out = DataFlow.outputPath(wait.outputPath(), effective, context);
    Frame frame = visit.frame;
    Runnable elapsed =
        () -> {
          if (isRunning() && frame.alive && frame.currentVisit == visit) {
            frame.pendingTimer = null;
            Next next;
            try {
              next = exit(visit, wait.transition(), out);
            } catch (WorkflowError e) {
              next = stateFailed(visit, e);
            }
            run(frame, next);
          }
        };
    if (wait.seconds() != null) {
      frame.pendingTimer = engine.schedule(this, wait.seconds(), elapsed);
    } else if (wait.secondsPath() != null) {
      JsonPath secondsPath = wait.secondsPath();
      JsonNode seconds =
          DataFlow.find(secondsPath, effective, context)
              .orElseThrow(
                  () ->
                      WorkflowError.runtime(
                          "The SecondsPath parameter does not reference an input value: "
                              + secondsPath.text()));
      if (!seconds.isIntegralNumber() || !seconds.canConvertToLong()) {
        throw WorkflowError.runtime(
            "The SecondsPath parameter cannot be parsed as a long value: "
                + secondsPath.text()
                + " == "
                + (seconds.isTextual() ? seconds.textValue() : Json.write(seconds)));
      }
      if (seconds.longValue() < 0) {
        throw WorkflowError.runtime(
            "The SecondsPath parameter references a negative value: "
                + secondsPath.text()
                + " == "
                + seconds.longValue());
      }
      frame.pendingTimer = engine.schedule(this, seconds.longValue(), elapsed);
    } else {
      Instant until = wait.timestamp();
      if (until == null) {
        JsonPath timestampPath = wait.timestampPath();
        JsonNode timestamp =
            DataFlow.find(timestampPath, effective, context)
                .orElseThrow(
                    () ->
                        WorkflowError.runtime(
                            "The TimestampPath parameter does not reference an input value: "
                                + timestampPath.text()));
        until =
            Condition.timestamp(timestamp)
                .orElseThrow(
                    () ->
                        WorkflowError.runtime(
                            "The TimestampPath parameter does not reference a valid ISO-8601"
                                + " extended offset date-time format string: "
                                + timestampPath.text()
                                + " == "
                                + (timestamp.isTextual()
                                    ? timestamp.textValue()
                                    : Json.write(timestamp))));
      }
      frame.pendingTimer = engine.scheduleAt(this, until, elapsed);
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
    frameFailed(visit.frame, failError, failCause);
    return null;
  }

  /**
   * Ends a frame and everything running in it, closing its task and cancelling its timers; a branch
   * or iteration records its running state as aborted.
   */
  void abort(Frame frame, String abortError) {
    long aborted = 0;
    if (frame.parent != null && frame.alive && frame.currentVisit != null && isRunning()) {
      aborted = record(frame.currentVisit.state.type() + "StateAborted", details());
    }
    frame.alive = false;
    cancel(frame.pendingTimer);
    frame.pendingTimer = null;
    if (frame.currentAttempt != null) {
      frame.currentAttempt.closingEventId = aborted;
      close(frame.currentAttempt, Reason.EXECUTION_ENDED, abortError);
    }
    ParallelAndMap.Block block = frame.activeBlock;
    if (block != null) {
      block.closed = true;
      for (Frame child : block.children) {
        if (child.alive) {
          abort(child, abortError);
        }
      }
    }
  }

  /**
   * A frame ran into a Fail state or an error nothing caught. In a branch or iteration, a Task,
   * Parallel or Map state that failed so is aborted, as Step Functions records it.
   */
  void frameFailed(Frame frame, String failError, String failCause) {
    if (frame.parent == null) {
      failExecution(failError, failCause);
    } else {
      Visit visit = frame.currentVisit;
      if (visit != null && visit.state instanceof State.Recoverable) {
        record(visit.state.type() + "StateAborted", details());
      }
      parallelAndMap.childFailed(frame, failError, failCause);
    }
  }

  private Next startAttempt(Visit visit) {
    State.Task task = visit.task();
    String token = task.resource().waitsForTaskToken() ? engine.newToken() : null;
    if (token != null) {
      issuedTokens.add(token);
    }
    JsonNode context = context(visit, token);
    JsonNode effective = DataFlow.inputPath(task.inputPath(), visit.input, context);
    JsonNode parameters =
        task.parameters() == null
            ? effective
            : PayloadTemplate.resolve(task.parameters(), effective, context);
    JsonNode functionName;
    JsonNode payload;
    if (task.resource().isFunctionArn()) {
      functionName = Json.NODES.textNode(task.functionArn());
      payload = parameters;
    } else {
      functionName = parameters.get("FunctionName");
      if (functionName == null || !functionName.isTextual()) {
        throw WorkflowError.runtime(
            "The Parameters '"
                + redact(Json.write(parameters))
                + "' could not be used to start the Task: [The value for the field 'FunctionName'"
                + " must be a STRING]");
      }
      payload = parameters.has("Payload") ? parameters.get("Payload") : Json.object();
    }
    Integer timeout =
        seconds(task.timeoutSeconds(), task.timeoutSecondsPath(), effective, context, "Timeout");
    Integer heartbeat =
        seconds(
            task.heartbeatSeconds(), task.heartbeatSecondsPath(), effective, context, "Heartbeat");
    Attempt attempt = new Attempt(visit, token, heartbeat);
    visit.frame.currentAttempt = attempt;
    if (token != null) {
      engine.bindToken(token, this, attempt);
    }
    Map<String, String> scheduled =
        task.resource().isFunctionArn()
            ? details("resource", task.functionArn(), "input", Json.write(parameters))
            : taskDetails(task, "region", engine.region(), "parameters", Json.write(parameters));
    if (timeout != null) {
      scheduled.put("timeoutInSeconds", timeout.toString());
    }
    if (heartbeat != null) {
      scheduled.put("heartbeatInSeconds", heartbeat.toString());
    }
    attempt.scheduledEventId =
        record(
            taskEvent(task, "Scheduled"),
            scheduled,
            engine.tokensInTaskParameters() ? Set.of("parameters") : Set.of());
    record(taskEvent(task, "Started"), taskDetails(task));
    if (timeout != null) {
      attempt.timeoutTimer =
          engine.schedule(
              this, timeout, () -> taskTimedOut(attempt, StatesErrors.TIMEOUT, null, false));
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
                taskTimedOut(attempt, StatesErrors.TIMEOUT, null, true);
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
    if (Json.write(result).getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        > WorkflowEngine.MAX_PAYLOAD_BYTES) {
      taskFailed(
          attempt,
          Reason.FAILED,
          StatesErrors.DATA_LIMIT_EXCEEDED,
          "The state/task '"
              + (task.resource().isFunctionArn() ? task.functionArn() : "lambda")
              + "' returned a result with a size exceeding the maximum number of bytes service"
              + " limit.");
      return;
    }
    if (task.resource().isFunctionArn()) {
      taskSucceeded(attempt, result);
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
   * TaskTimedOut}, or {@code TaskStateAborted} when its branch or iteration was aborted) or its
   * execution, if either closed.
   */
  Optional<HistoryEvent> closingEvent(Attempt attempt) {
    if (attempt.closingEventId > 0) {
      return Optional.of(history.get((int) attempt.closingEventId - 1));
    }
    return history.stream()
        .filter(event -> event.id() > attempt.scheduledEventId)
        .filter(event -> CLOSING_EVENTS.contains(event.type()))
        .filter(event -> event.type().startsWith("Execution"))
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
    attempt.closingEventId =
        record(taskEvent(task, "Succeeded"), taskDetails(task, "output", Json.write(result)));
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
      next = exit(visit, task.transition(), out);
    } catch (WorkflowError e) {
      next = stateFailed(visit, e);
    }
    run(visit.frame, next);
  }

  private void taskFailed(
      Attempt attempt, Reason reason, String failureError, String failureCause) {
    State.Task task = attempt.visit.task();
    close(attempt, reason, failureError);
    attempt.closingEventId =
        record(
            taskEvent(task, "Failed"),
            taskDetails(task, "error", failureError, "cause", failureCause));
    run(attempt.visit.frame, recover(attempt.visit, failureError, failureCause, false));
  }

  /**
   * A task timed out: {@code States.Timeout} without a cause, as Step Functions records it; a
   * missed heartbeat is {@code States.Timeout} too, which {@code States.HeartbeatTimeout} also
   * matches.
   */
  private void taskTimedOut(
      Attempt attempt, String timeoutError, String timeoutCause, boolean heartbeat) {
    if (!attempt.open || !isRunning()) {
      return;
    }
    State.Task task = attempt.visit.task();
    close(attempt, Reason.TIMED_OUT, heartbeat ? StatesErrors.HEARTBEAT_TIMEOUT : timeoutError);
    attempt.closingEventId =
        record(
            taskEvent(task, "TimedOut"),
            taskDetails(task, "error", timeoutError, "cause", timeoutCause));
    run(attempt.visit.frame, recover(attempt.visit, timeoutError, timeoutCause, heartbeat));
  }

  private void close(Attempt attempt, Reason reason, String closeError) {
    attempt.open = false;
    cancel(attempt.timeoutTimer);
    cancel(attempt.heartbeatTimer);
    if (reason == Reason.TIMED_OUT || reason == Reason.EXECUTION_ENDED) {
      cancel(attempt.invocation);
    }
    if (attempt.visit.frame.currentAttempt == attempt) {
      attempt.visit.frame.currentAttempt = null;
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
  Next stateFailed(Visit visit, WorkflowError e) {
    String failureCause = describe(visit, e);
    if (visit.state instanceof State.Recoverable) {
      return recover(visit, e.error(), failureCause, false);
    }
    frameFailed(visit.frame, e.error(), failureCause);
    return null;
  }

  /** The cause of an error, located as AWS locates Runtime errors. */
  static String describe(Visit visit, WorkflowError e) {
    if (!StatesErrors.RUNTIME.equals(e.error())
        && !StatesErrors.RESULT_PATH_MATCH_FAILURE.equals(e.error())) {
      return e.errorCause();
    }
    return "An error occurred while executing the state '"
        + visit.state.name()
        + "' (entered at the event id #"
        + visit.enteredEventId
        + "). "
        + e.errorCause();
  }

  /**
   * Applies the state's Retry and Catch to an error, per the spec's error-handling rules. A
   * Parallel or Map state retried records its {@code ...StateStarted} again; one that gives up
   * records its {@code ...StateFailed}.
   */
  Next recover(Visit visit, String failureError, String failureCause, boolean heartbeat) {
    State.Recoverable state = (State.Recoverable) visit.state;
    Frame frame = visit.frame;
    boolean block = !(visit.state instanceof State.Task);
    if (!StatesErrors.isTerminal(failureError)) {
      List<Retrier> retriers = state.retriers();
      for (int i = 0; i < retriers.size(); i++) {
        Retrier retrier = retriers.get(i);
        if (!retrier.matches(failureError, heartbeat)) {
          continue;
        }
        if (visit.retriesPerRetrier[i] < retrier.maxAttempts()) {
          double delay = retrier.delaySeconds(visit.retriesPerRetrier[i]);
          if (retrier.jitter() == Jitter.FULL) {
            delay = ThreadLocalRandom.current().nextDouble() * delay;
          }
          visit.retriesPerRetrier[i]++;
          visit.retryCount++;
          frame.pendingTimer =
              engine.schedule(
                  this,
                  delay,
                  () -> {
                    if (isRunning()
                        && frame.alive
                        && frame.currentVisit == visit
                        && frame.currentAttempt == null
                        && frame.activeBlock == null) {
                      frame.pendingTimer = null;
                      Next next;
                      try {
                        next = restart(visit);
                      } catch (WorkflowError e) {
                        next = stateFailed(visit, e);
                      }
                      run(frame, next);
                    }
                  });
          return null;
        }
        break;
      }
    }
    if (block && visit.blockStarted) {
      record(
          visit.state.type() + "StateFailed",
          details("error", failureError, "cause", failureCause));
    }
    if (!StatesErrors.isTerminal(failureError)) {
      for (Catcher catcher : state.catchers()) {
        if (catcher.matches(failureError, heartbeat)) {
          ObjectNode errorOutput = Json.object();
          errorOutput.put("Error", failureError);
          errorOutput.put(
              "Cause",
              failureCause == null && StatesErrors.TIMEOUT.equals(failureError)
                  ? ""
                  : failureCause);
          JsonNode out;
          try {
            out = DataFlow.resultPath(catcher.resultPath(), visit.input, errorOutput);
          } catch (WorkflowError e) {
            frameFailed(frame, e.error(), describe(visit, e));
            return null;
          }
          record(
              visit.state.type() + "StateExited",
              details("name", visit.state.name(), "output", Json.write(out)));
          return new Next(catcher.next(), out);
        }
      }
    }
    frameFailed(frame, failureError, failureCause);
    return null;
  }

  private Next restart(Visit visit) {
    if (visit.state instanceof State.Parallel) {
      return parallelAndMap.startParallel(visit);
    }
    if (visit.state instanceof State.MapState) {
      return parallelAndMap.startMap(visit);
    }
    return startAttempt(visit);
  }

  Next exit(Visit visit, Transition transition, JsonNode out) {
    State state = visit.state;
    String written = Json.write(out);
    if (written.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        > WorkflowEngine.MAX_PAYLOAD_BYTES) {
      throw new WorkflowError(
          StatesErrors.DATA_LIMIT_EXCEEDED,
          "The state/task '"
              + state.name()
              + "' returned a result with a size exceeding the maximum number of bytes service"
              + " limit.");
    }
    record(state.type() + "StateExited", details("name", state.name(), "output", written));
    if (transition.isEnd()) {
      Frame frame = visit.frame;
      if (frame.parent != null) {
        parallelAndMap.childSucceeded(frame, out);
        return null;
      }
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
    cancel(executionTimer);
    abort(root, finalError);
    Instant stoppedAt = stopDate;
    List<String> tokens = List.copyOf(issuedTokens);
    defer(() -> engine.executionFinished(this, stoppedAt, tokens));
  }

  private void completeLater() {
    ExecutionSnapshot snapshot = snapshot();
    defer(() -> completion.complete(snapshot));
  }

  JsonNode context(Visit visit, String token) {
    ObjectNode context = Json.object();
    ObjectNode execution = context.putObject("Execution");
    execution.put("Id", engine.executionArn(name));
    execution.set("Input", input);
    execution.put("Name", name);
    execution.put("RoleArn", engine.roleArn());
    execution.put("StartTime", TIMESTAMP.format(startDate));
    execution.put("RedriveCount", 0);
    ObjectNode state = context.putObject("State");
    state.put("EnteredTime", TIMESTAMP.format(visit.enteredTime));
    state.put("Name", visit.state.name());
    if (visit.state instanceof State.Recoverable) {
      state.put("RetryCount", visit.retryCount);
    }
    ObjectNode stateMachine = context.putObject("StateMachine");
    stateMachine.put("Id", engine.stateMachineArn());
    stateMachine.put("Name", engine.stateMachineName());
    if (token != null) {
      context.putObject("Task").put("Token", token);
    }
    return context;
  }

  static JsonNode resolveReference(
      JsonPath path, JsonNode effective, JsonNode context, String field) {
    return DataFlow.find(path, effective, context)
        .orElseThrow(
            () ->
                WorkflowError.runtime(
                    "Invalid path '"
                        + path.text()
                        + "' : "
                        + path.whyNotFound(path.isContext() ? context : effective)));
  }

  /** A Fail state's ErrorPath or CausePath: a Reference Path or an intrinsic function call. */
  private static String textAt(String expression, JsonNode data, JsonNode context, String field) {
    JsonNode value;
    if (IntrinsicFunctions.isCall(expression)) {
      value = IntrinsicFunctions.evaluate(field, expression, data, context);
    } else {
      JsonPath path = JsonPath.parse(expression);
      value =
          DataFlow.find(path, data, context)
              .orElseThrow(
                  () ->
                      WorkflowError.runtime(
                          "The JSONPath '"
                              + expression
                              + "' specified for the field '"
                              + field
                              + "' could not be found in the input '"
                              + Json.write(data)
                              + "'"));
    }
    if (!value.isTextual()) {
      throw WorkflowError.runtime(
          "The "
              + field
              + " '"
              + expression
              + "' must select a string, but was "
              + Json.write(value));
    }
    return value.textValue();
  }

  /** {@code Task<suffix>}, or {@code LambdaFunction<suffix>} for a function invoked by its ARN. */
  private static String taskEvent(State.Task task, String suffix) {
    return (task.resource().isFunctionArn() ? "LambdaFunction" : "Task") + suffix;
  }

  private static Map<String, String> taskDetails(State.Task task, String... more) {
    if (task.resource().isFunctionArn()) {
      return details(more);
    }
    Map<String, String> details =
        details(
            "resourceType", task.resource().resourceType(), "resource", task.resource().resource());
    details.putAll(details(more));
    return details;
  }

  /** Key-value pairs; null values are left out. */
  static Map<String, String> details(String... pairs) {
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
  long record(String type, Map<String, String> details) {
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
