package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs executions of one Amazon States Language state machine in memory, with the semantics of AWS
 * Step Functions Standard workflows (checked against AWS's recorded executions; see the README):
 * {@code StartExecution}, {@code DescribeExecution} with history, and {@code SendTaskSuccess},
 * {@code SendTaskFailure} and {@code SendTaskHeartbeat}.
 *
 * <p>Task states invoke {@link TaskHandler}s registered by function name, on the engine's worker
 * threads: at most {@link Builder#maxConcurrentInvocations} at once, the others wait their turn, so
 * that handlers blocked on a slow service do not each hold a thread of their own; while the first
 * in line has waited longer than {@link Builder#maxInvocationWait}, new executions are refused
 * ({@link EngineBusyException}, as Step Functions throttles {@code StartExecution}). Timers (Wait,
 * Retry, timeouts) run on the engine's scheduler, where one ASL second lasts {@link
 * Builder#secondLength}, so that tests can run a day-long workflow in milliseconds; what they
 * trigger runs on threads of its own, so a timeout is never stuck behind blocked handlers.
 * Timestamps in history and the context object come from the injected {@link Clock}.
 *
 * <p>Finished executions are remembered for {@link Builder#finishedExecutionRetention} and at most
 * {@link Builder#finishedExecutionCapacity} of them, the oldest forgotten first; running executions
 * are never forgotten. A forgotten execution is unknown: it is not described or listed, its name
 * starts a new execution, and its task tokens resume nothing ({@code TASK_DOES_NOT_EXIST}).
 *
 * <p>Thread-safe. Task tokens never appear in history, snapshots, exception messages or logs.
 * {@link #close()} stops the threads; executions still running stay so.
 */
public final class WorkflowEngine implements AutoCloseable {

  static final String DEFAULT_REGION = "local";
  static final String DEFAULT_ACCOUNT = "000000000000";

  /** The size limit of execution input and task output, as in Step Functions. */
  public static final int MAX_PAYLOAD_BYTES = 262_144;

  /** How many Task handlers run at once, unless the builder says otherwise. */
  public static final int DEFAULT_MAX_CONCURRENT_INVOCATIONS = 64;

  /**
   * How long Task invocations may wait for a thread before new executions are refused, unless the
   * builder says otherwise.
   */
  public static final Duration DEFAULT_MAX_INVOCATION_WAIT = Duration.ofSeconds(10);

  /** When a start refused while the engine is busy may be made again. */
  static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);

  /** How long a finished execution is remembered, unless the builder says otherwise. */
  public static final Duration DEFAULT_FINISHED_EXECUTION_RETENTION = Duration.ofDays(1);

  /** How many finished executions are remembered at most, unless the builder says otherwise. */
  public static final int DEFAULT_FINISHED_EXECUTION_CAPACITY = 10_000;

  private static final Duration IDLE_THREAD_KEEP_ALIVE = Duration.ofSeconds(60);

  private static final System.Logger LOG = System.getLogger(WorkflowEngine.class.getName());
  private static final Pattern FORBIDDEN_NAME_CHARACTERS =
      Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1F\\x7F-\\x9F]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern FUNCTION_ARN =
      Pattern.compile("arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(:[^:]+)?");

  private final StateMachineDefinition definition;
  private final Clock clock;
  private final long nanosPerSecond;
  private final String stateMachineName;
  private final String region;
  private final String accountId;
  private final String roleArn;
  private final InvocationPool workers;
  private final Duration maxInvocationWait;
  private final ExecutorService timerWork;
  private final ScheduledExecutorService timers;
  private final TaskTokens tokens = new TaskTokens();
  private final Object startLock = new Object();
  private final Map<String, Execution> executions = new ConcurrentHashMap<>();
  private final Set<Execution> startOrder = new LinkedHashSet<>(); // guarded by startLock
  private final FinishedExecutions finished; // guarded by startLock
  private final Map<String, TokenBinding> boundTokens = new ConcurrentHashMap<>();
  private final Map<String, TaskHandler> functions = new ConcurrentHashMap<>();
  private final List<TaskTokenListener> listeners = new CopyOnWriteArrayList<>();
  private final List<HistoryListener> historyListeners = new CopyOnWriteArrayList<>();
  private final boolean tokensInTaskParameters;
  private volatile boolean closed;

  private record TokenBinding(Execution execution, Execution.Attempt attempt) {}

  private WorkflowEngine(Builder builder) {
    this.definition = builder.definition;
    this.clock = builder.clock;
    this.nanosPerSecond = builder.secondLength.toNanos();
    this.stateMachineName = builder.stateMachineName;
    this.region = builder.region;
    this.accountId = builder.accountId;
    this.roleArn =
        builder.roleArn != null
            ? builder.roleArn
            : "arn:aws:iam::" + accountId + ":role/in-memory-workflow-engine";
    this.finished =
        new FinishedExecutions(
            builder.finishedExecutionRetention, builder.finishedExecutionCapacity);
    this.workers =
        new InvocationPool(
            builder.maxConcurrentInvocations,
            IDLE_THREAD_KEEP_ALIVE,
            threads("workflow-engine-worker"));
    this.maxInvocationWait = builder.maxInvocationWait;
    this.tokensInTaskParameters = builder.tokensInTaskParameters;
    this.timerWork =
        new InvocationPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            IDLE_THREAD_KEEP_ALIVE,
            threads("workflow-engine-timer-work"));
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(1, threads("workflow-engine-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
    this.timers = scheduler;
  }

  public static Builder builder(StateMachineDefinition definition) {
    return new Builder(definition);
  }

  /**
   * Makes a handler the function that Task states reach by {@code FunctionName}: the name itself
   * or, for a Lambda function ARN (with or without a qualifier), the name within it.
   */
  public void registerFunction(String functionName, TaskHandler handler) {
    if (functionName == null || functionName.isBlank()) {
      throw new IllegalArgumentException("'functionName' must not be blank");
    }
    functions.put(functionName, Objects.requireNonNull(handler, "'handler' must not be null"));
  }

  public void addTaskTokenListener(TaskTokenListener listener) {
    listeners.add(Objects.requireNonNull(listener, "'listener' must not be null"));
  }

  public void addHistoryListener(HistoryListener listener) {
    historyListeners.add(Objects.requireNonNull(listener, "'listener' must not be null"));
  }

  /**
   * Starts an execution, as {@code StartExecution} does for a Standard workflow: a name is used
   * once while its execution is remembered; starting a running execution again with the same input
   * is harmless. Once a finished execution is forgotten, its name starts a new one (Step Functions
   * keeps a name for 90 days after its execution closed, then allows it again).
   *
   * @param name 1 to 80 characters, none of them whitespace, brackets, wildcards or {@code
   *     "#%\^|~`$&,;:/}
   * @param inputJson a JSON document of at most {@value #MAX_PAYLOAD_BYTES} bytes
   * @throws IllegalArgumentException for an invalid name or input
   * @throws EngineBusyException if a new execution would wait behind Task invocations that already
   *     waited longer than {@link Builder#maxInvocationWait}; nothing was started
   */
  public StartOutcome start(String name, String inputJson) {
    requireValidName(name);
    JsonNode input = payload(inputJson, "The execution input");
    Execution execution;
    synchronized (startLock) {
      requireOpen();
      forgetDue();
      Execution existing = executions.get(name);
      if (existing != null) {
        synchronized (existing) {
          return existing.isRunning() && existing.input().equals(input)
              ? StartOutcome.ALREADY_STARTED
              : StartOutcome.CONFLICTS_WITH_EXISTING;
        }
      }
      Duration waited = workers.oldestWait();
      if (waited.compareTo(maxInvocationWait) > 0) {
        throw new EngineBusyException(waited, maxInvocationWait, BUSY_RETRY_AFTER);
      }
      execution = new Execution(this, definition, name, input);
      executions.put(name, execution);
      startOrder.add(execution);
    }
    withLock(
        execution,
        () -> {
          execution.begin();
          return null;
        });
    return StartOutcome.STARTED;
  }

  /** The execution as it stands now, if one has this name. */
  public Optional<ExecutionSnapshot> describe(String name) {
    Objects.requireNonNull(name, "'name' must not be null");
    Execution execution;
    synchronized (startLock) {
      forgetDue();
      execution = executions.get(name);
    }
    if (execution == null) {
      return Optional.empty();
    }
    synchronized (execution) {
      return Optional.of(execution.snapshot());
    }
  }

  /** The definition every execution of this engine runs. */
  public StateMachineDefinition definition() {
    return definition;
  }

  /** Every execution, oldest first: its name, status and dates, without input or history. */
  public List<ExecutionSummary> listExecutions() {
    List<Execution> started;
    synchronized (startLock) {
      forgetDue();
      started = List.copyOf(startOrder);
    }
    return started.stream()
        .map(
            execution -> {
              synchronized (execution) {
                return execution.summary();
              }
            })
        .toList();
  }

  /**
   * Whether this engine issued the task token, whatever became of its task or execution since: a
   * service that runs several engines finds with it the one to send a token to.
   */
  public boolean hasIssued(TaskToken token) {
    Objects.requireNonNull(token, "'token' must not be null");
    return tokens.issued(token.value());
  }

  /** How many executions are remembered, running or finished. */
  public int executionCount() {
    synchronized (startLock) {
      return startOrder.size();
    }
  }

  /**
   * Completes with the execution's final snapshot once it has ended; completes exceptionally if the
   * engine is closed first.
   *
   * @throws NoSuchElementException if no execution has this name
   */
  public CompletableFuture<ExecutionSnapshot> awaitCompletion(String name) {
    Execution execution = executions.get(Objects.requireNonNull(name, "'name' must not be null"));
    if (execution == null) {
      throw new NoSuchElementException("No execution named '" + name + "'");
    }
    return execution.completion().copy();
  }

  /**
   * Completes the waiting task with the output, as {@code SendTaskSuccess}.
   *
   * @throws IllegalArgumentException if the output is not JSON or exceeds {@value
   *     #MAX_PAYLOAD_BYTES} bytes ({@code InvalidOutput})
   */
  public ResumeOutcome sendTaskSuccess(TaskToken token, String outputJson) {
    Objects.requireNonNull(token, "'token' must not be null");
    JsonNode output = payload(outputJson, "The task output");
    return resume(token, binding -> binding.execution().sendSuccess(binding.attempt(), output));
  }

  /**
   * Fails the waiting task, as {@code SendTaskFailure}; the state's Retry and Catch see the error.
   *
   * @param error at most 256 characters, or null
   * @param cause at most 32,768 characters, or null
   */
  public ResumeOutcome sendTaskFailure(TaskToken token, String error, String cause) {
    Objects.requireNonNull(token, "'token' must not be null");
    if (error != null && error.length() > 256) {
      throw new IllegalArgumentException("'error' must be at most 256 characters");
    }
    if (cause != null && cause.length() > 32_768) {
      throw new IllegalArgumentException("'cause' must be at most 32768 characters");
    }
    return resume(
        token, binding -> binding.execution().sendFailure(binding.attempt(), error, cause));
  }

  /** Restarts the waiting task's heartbeat timer, as {@code SendTaskHeartbeat}. */
  public ResumeOutcome sendTaskHeartbeat(TaskToken token) {
    Objects.requireNonNull(token, "'token' must not be null");
    return resume(token, binding -> binding.execution().sendHeartbeat(binding.attempt()));
  }

  /**
   * The history event that closed the task of this token ({@code TaskSucceeded} with its {@code
   * output}, {@code TaskFailed} with its {@code error} and {@code cause}, {@code TaskTimedOut}, or
   * {@code TaskStateAborted} when a failing sibling branch or iteration aborted it), or its
   * execution's end; empty while the task waits, or if the token is unknown.
   */
  public Optional<HistoryEvent> closingEventOf(TaskToken token) {
    Objects.requireNonNull(token, "'token' must not be null");
    TokenBinding binding;
    synchronized (startLock) {
      forgetDue();
      binding = boundTokens.get(token.value());
    }
    if (binding == null) {
      return Optional.empty();
    }
    synchronized (binding.execution()) {
      return binding.execution().closingEvent(binding.attempt());
    }
  }

  /**
   * Stops a running execution, as {@code StopExecution}: it ends {@code ABORTED}.
   *
   * @return false if no execution has the name or it had already ended
   */
  public boolean stopExecution(String name, String error, String cause) {
    Execution execution = executions.get(Objects.requireNonNull(name, "'name' must not be null"));
    return execution != null && withLock(execution, () -> execution.stop(error, cause));
  }

  /** Stops the engine's threads; awaited completions fail. */
  @Override
  public void close() {
    synchronized (startLock) {
      closed = true;
    }
    timers.shutdownNow();
    timerWork.shutdownNow();
    workers.shutdownNow();
    IllegalStateException closedError = new IllegalStateException("The workflow engine is closed");
    executions
        .values()
        .forEach(execution -> execution.completion().completeExceptionally(closedError));
  }

  private ResumeOutcome resume(TaskToken token, Function<TokenBinding, ResumeOutcome> action) {
    if (!TaskTokens.isWellFormed(token.value())) {
      return ResumeOutcome.INVALID_TOKEN;
    }
    TokenBinding binding;
    synchronized (startLock) {
      forgetDue();
      binding = boundTokens.get(token.value());
    }
    if (binding == null) {
      return tokens.issued(token.value())
          ? ResumeOutcome.TASK_DOES_NOT_EXIST
          : ResumeOutcome.INVALID_TOKEN;
    }
    return withLock(binding.execution(), () -> action.apply(binding));
  }

  /** Runs the body holding the execution's monitor, then the actions it deferred, without. */
  <T> T withLock(Execution execution, Supplier<T> body) {
    T result;
    List<Runnable> after;
    synchronized (execution) {
      try {
        result = body.get();
      } finally {
        after = execution.drainDeferred();
      }
    }
    for (Runnable action : after) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "A deferred workflow action failed", e);
      }
    }
    return result;
  }

  Instant now() {
    return clock.instant();
  }

  String newToken() {
    return tokens.next();
  }

  void bindToken(String token, Execution execution, Execution.Attempt attempt) {
    boundTokens.put(token, new TokenBinding(execution, attempt));
  }

  /** Called once per execution, without its lock, after it finished. */
  void executionFinished(Execution execution, Instant stopDate, List<String> issuedTokens) {
    synchronized (startLock) {
      finished.add(new FinishedExecutions.Finished(execution, stopDate, issuedTokens));
      forgetDue();
    }
  }

  /** Forgets the finished executions due, with their tokens; the caller holds startLock. */
  private void forgetDue() {
    for (FinishedExecutions.Finished due : finished.due(now())) {
      Execution execution = due.execution();
      startOrder.remove(execution);
      executions.remove(execution.name(), execution);
      due.tokens().forEach(boundTokens::remove);
    }
  }

  String stateMachineName() {
    return stateMachineName;
  }

  String region() {
    return region;
  }

  String roleArn() {
    return roleArn;
  }

  /**
   * {@code arn:aws:states:<region>:<account>:stateMachine:<name>}, as in {@code
   * $$.StateMachine.Id}.
   */
  public String stateMachineArn() {
    return "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + stateMachineName;
  }

  /** The ARN of the execution with this name, as in {@code $$.Execution.Id}. */
  public String executionArn(String name) {
    return "arn:aws:states:"
        + region
        + ":"
        + accountId
        + ":execution:"
        + stateMachineName
        + ":"
        + name;
  }

  /** Runs the body under the execution's lock after {@code seconds} ASL seconds. */
  Future<?> schedule(Execution execution, double seconds, Runnable body) {
    return scheduleNanos(execution, Math.round(seconds * nanosPerSecond), body);
  }

  /** Runs the body under the execution's lock when the clock reaches the instant, time-scaled. */
  Future<?> scheduleAt(Execution execution, Instant instant, Runnable body) {
    Duration remaining = Duration.between(now(), instant);
    double seconds = remaining.isNegative() ? 0 : remaining.toNanos() / 1e9;
    return schedule(execution, seconds, body);
  }

  private Future<?> scheduleNanos(Execution execution, long nanos, Runnable body) {
    Runnable dispatch =
        () ->
            execute(
                () ->
                    withLock(
                        execution,
                        () -> {
                          body.run();
                          return null;
                        }));
    try {
      return timers.schedule(dispatch, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * Invokes the function on a worker thread, then hands the result or failure to the callback under
   * the execution's lock.
   */
  Future<?> invoke(
      Execution execution,
      String functionName,
      JsonNode payload,
      BiConsumer<JsonNode, Throwable> callback) {
    JsonNode request = payload.deepCopy();
    Runnable invocation =
        () -> {
          JsonNode result = null;
          Throwable failure = null;
          try {
            TaskHandler handler = function(functionName);
            result = handler.invoke(request);
            result =
                result == null || result.isMissingNode()
                    ? NullNode.getInstance()
                    : result.deepCopy();
          } catch (VirtualMachineError e) {
            throw e;
          } catch (Throwable e) {
            failure = e;
          }
          JsonNode finalResult = result;
          Throwable finalFailure = failure;
          withLock(
              execution,
              () -> {
                callback.accept(finalResult, finalFailure);
                return null;
              });
        };
    try {
      return workers.submit(invocation);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(null);
    }
  }

  private TaskHandler function(String functionName) {
    TaskHandler handler = functions.get(functionName);
    if (handler == null) {
      Matcher arn = FUNCTION_ARN.matcher(functionName);
      String shortName =
          arn.matches()
              ? arn.group(1)
              : functionName.contains(":")
                  ? functionName.substring(0, functionName.indexOf(':'))
                  : null;
      handler = shortName == null ? null : functions.get(shortName);
    }
    if (handler == null) {
      String arn =
          FUNCTION_ARN.matcher(functionName).matches()
              ? functionName
              : "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName;
      throw new TaskFailedException(
          "Lambda.ResourceNotFoundException",
          "Function not found: "
              + arn
              + (arn.endsWith(":$LATEST") ? "" : ":$LATEST")
              + " (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException;"
              + " Request ID: "
              + UUID.randomUUID()
              + "; Proxy: null)");
    }
    return handler;
  }

  void taskClosed(ClosedTask task) {
    for (TaskTokenListener listener : listeners) {
      try {
        listener.onTaskClosed(task);
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Task token listener failed for task " + task.token().fingerprint(),
            e);
      }
    }
  }

  /** Whether {@code TaskScheduled} events keep the task token in their parameters. */
  boolean tokensInTaskParameters() {
    return tokensInTaskParameters;
  }

  boolean hasHistoryListeners() {
    return !historyListeners.isEmpty();
  }

  void eventRecorded(String executionName, HistoryEvent event) {
    for (HistoryListener listener : historyListeners) {
      try {
        listener.onEvent(executionName, event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "History listener failed", e);
      }
    }
  }

  private void execute(Runnable action) {
    try {
      timerWork.execute(action);
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "Workflow engine closed; a timer was dropped");
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("The workflow engine is closed");
    }
  }

  /**
   * Whether a name may name an execution or state machine: 1 to 80 characters, none of them
   * whitespace, brackets, wildcards, control characters or {@code "#%\^|~`$&,;:/}.
   */
  public static boolean isValidName(String name) {
    return name != null
        && !name.isEmpty()
        && name.length() <= 80
        && !FORBIDDEN_NAME_CHARACTERS.matcher(name).find();
  }

  private static void requireValidName(String name) {
    Objects.requireNonNull(name, "'name' must not be null");
    if (name.isEmpty() || name.length() > 80) {
      throw new IllegalArgumentException("An execution name must be 1 to 80 characters");
    }
    if (FORBIDDEN_NAME_CHARACTERS.matcher(name).find()) {
      throw new IllegalArgumentException(
          "An execution name must not contain whitespace, brackets, wildcards, control characters"
              + " or any of \"#%\\^|~`$&,;:/");
    }
  }

  private static JsonNode payload(String json, String what) {
    Objects.requireNonNull(json, () -> "'" + what + "' must not be null");
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          what + " must be at most " + MAX_PAYLOAD_BYTES + " bytes, was " + bytes);
    }
    return Json.parsePayload(json, what);
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Options of a {@link WorkflowEngine}. */
  public static final class Builder {
    private final StateMachineDefinition definition;
    private Clock clock = Clock.systemUTC();
    private Duration secondLength = Duration.ofSeconds(1);
    private String stateMachineName = "StateMachine";
    private String region = DEFAULT_REGION;
    private String accountId = DEFAULT_ACCOUNT;
    private String roleArn;
    private int maxConcurrentInvocations = DEFAULT_MAX_CONCURRENT_INVOCATIONS;
    private Duration maxInvocationWait = DEFAULT_MAX_INVOCATION_WAIT;
    private Duration finishedExecutionRetention = DEFAULT_FINISHED_EXECUTION_RETENTION;
    private int finishedExecutionCapacity = DEFAULT_FINISHED_EXECUTION_CAPACITY;
    private boolean tokensInTaskParameters;

    private Builder(StateMachineDefinition definition) {
      this.definition = Objects.requireNonNull(definition, "'definition' must not be null");
    }

    /** Where history and context-object timestamps come from; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
      return this;
    }

    /**
     * How long one ASL second lasts for Wait, Retry and timeouts; default one second. Tests use a
     * few milliseconds.
     */
    public Builder secondLength(Duration secondLength) {
      Objects.requireNonNull(secondLength, "'secondLength' must not be null");
      if (secondLength.isNegative() || secondLength.isZero()) {
        throw new IllegalArgumentException("'secondLength' must be positive, was " + secondLength);
      }
      this.secondLength = secondLength;
      return this;
    }

    /** The state machine's name in the context object and ARNs; default "StateMachine". */
    public Builder stateMachineName(String stateMachineName) {
      requireValidName(stateMachineName);
      this.stateMachineName = stateMachineName;
      return this;
    }

    /** The region in ARNs and in {@code TaskScheduled} events; default "local". */
    public Builder region(String region) {
      Objects.requireNonNull(region, "'region' must not be null");
      if (!REGION.matcher(region).matches()) {
        throw new IllegalArgumentException("'region' must be like eu-west-2, was '" + region + "'");
      }
      this.region = region;
      return this;
    }

    /** The 12-digit account in ARNs; default 000000000000. */
    public Builder accountId(String accountId) {
      Objects.requireNonNull(accountId, "'accountId' must not be null");
      if (!ACCOUNT.matcher(accountId).matches()) {
        throw new IllegalArgumentException(
            "'accountId' must be 12 digits, was '" + accountId + "'");
      }
      this.accountId = accountId;
      return this;
    }

    /**
     * The state machine's execution role, in {@code $$.Execution.RoleArn} and {@code
     * ExecutionStarted}; default a role named in-memory-workflow-engine in the account.
     */
    public Builder roleArn(String roleArn) {
      Objects.requireNonNull(roleArn, "'roleArn' must not be null");
      if (!roleArn.startsWith("arn:")) {
        throw new IllegalArgumentException("'roleArn' must be an ARN, was '" + roleArn + "'");
      }
      this.roleArn = roleArn;
      return this;
    }

    /**
     * How many Task handlers may run at once, like a Lambda concurrency limit; default {@value
     * WorkflowEngine#DEFAULT_MAX_CONCURRENT_INVOCATIONS}. Further invocations wait their turn, and
     * the wait counts against the task's timeout.
     */
    public Builder maxConcurrentInvocations(int maxConcurrentInvocations) {
      if (maxConcurrentInvocations < 1) {
        throw new IllegalArgumentException(
            "'maxConcurrentInvocations' must be positive, was " + maxConcurrentInvocations);
      }
      this.maxConcurrentInvocations = maxConcurrentInvocations;
      return this;
    }

    /**
     * How long the Task invocation first in line may wait for one of the {@link
     * #maxConcurrentInvocations} threads (real time, not scaled by {@link #secondLength}) before
     * {@link WorkflowEngine#start} refuses new executions with {@link EngineBusyException}; default
     * {@link WorkflowEngine#DEFAULT_MAX_INVOCATION_WAIT}. So the executions started keep moving
     * when more are started than the handlers can serve, instead of all of them waiting ever
     * longer, and the memory of waiting invocations stays bounded. Executions already started are
     * never refused a retry or a later task.
     */
    public Builder maxInvocationWait(Duration maxWait) {
      Objects.requireNonNull(maxWait, "'maxInvocationWait' must not be null");
      if (maxWait.isNegative() || maxWait.isZero()) {
        throw new IllegalArgumentException("'maxInvocationWait' must be positive, was " + maxWait);
      }
      this.maxInvocationWait = maxWait;
      return this;
    }

    /**
     * How long a finished execution is remembered, by the engine's clock, before it is forgotten;
     * default one day.
     */
    public Builder finishedExecutionRetention(Duration retention) {
      Objects.requireNonNull(retention, "'retention' must not be null");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException(
            "'finishedExecutionRetention' must be positive, was " + retention);
      }
      this.finishedExecutionRetention = retention;
      return this;
    }

    /**
     * How many finished executions are remembered at most; beyond it the oldest finished is
     * forgotten first. Default {@value WorkflowEngine#DEFAULT_FINISHED_EXECUTION_CAPACITY}.
     */
    public Builder finishedExecutionCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException(
            "'finishedExecutionCapacity' must be positive, was " + capacity);
      }
      this.finishedExecutionCapacity = capacity;
      return this;
    }

    /**
     * Whether a {@code TaskScheduled} event's {@code parameters} keep the task token, as Step
     * Functions' history does (a caller finds its task's events by it). Default false: the token is
     * redacted from every event, so that a history shown to users never carries one.
     */
    public Builder tokensInTaskParameters(boolean keep) {
      this.tokensInTaskParameters = keep;
      return this;
    }

    public WorkflowEngine build() {
      return new WorkflowEngine(this);
    }
  }
}
