package com.valuationflow.infra.local.lambda;

import com.valuationflow.infra.local.AwsServiceError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Lambda, locally: runs each function's instances as separate processes of Lambda's own runtimes
 * (Amazon's Java runtime interface client, a Node.js runtime loop) that take their invocations from
 * a real Lambda Runtime API, and reports results and errors as Lambda's synchronous {@code Invoke}
 * does. Thread-safe; each instance runs one invocation at a time, warm instances are reused, and a
 * function scales out to {@link #DEFAULT_MAX_INSTANCES} instances, beyond which invocations wait.
 */
public final class LocalLambda implements AutoCloseable {

  public static final int DEFAULT_MAX_INSTANCES = 10;

  private static final String BOOTSTRAP = "node-bootstrap.cjs";

  private final Map<String, FunctionPool> functions = new ConcurrentHashMap<>();
  private final Path logDirectory;
  private final Path runtimeDirectory;
  private final RuntimeCommand command;
  private final ScheduledExecutorService timers;
  private final int maxInstances;
  private final Thread shutdownHook = new Thread(this::stopAll, "local-lambda-shutdown");
  private final List<FunctionLog> logs = new ArrayList<>();
  private final Set<String> invoked = ConcurrentHashMap.newKeySet();

  /** Each function's published versions and aliases: all run its one code. */
  private final Map<String, Set<String>> qualifiers = new ConcurrentHashMap<>();

  private volatile Consumer<FunctionConfig> firstInvocationListener = function -> {};
  private boolean closed;

  /** A local Lambda with the runtimes of this build ({@link LambdaRuntimes#locate()}). */
  public LocalLambda(Path logDirectory) {
    this(LambdaRuntimes.locate(), logDirectory, DEFAULT_MAX_INSTANCES);
  }

  /**
   * @param logDirectory where each function's output goes, to {@code <function>.log}
   * @param maxInstances the most instances one function runs at once
   */
  public LocalLambda(LambdaRuntimes runtimes, Path logDirectory, int maxInstances) {
    Objects.requireNonNull(runtimes, "'runtimes' must not be null");
    Objects.requireNonNull(logDirectory, "'logDirectory' must not be null");
    if (maxInstances < 1) {
      throw new IllegalArgumentException("'maxInstances' must be positive: " + maxInstances);
    }
    LoopbackServer.preferNoDelay();
    this.logDirectory = logDirectory.toAbsolutePath();
    this.maxInstances = maxInstances;
    try {
      Files.createDirectories(this.logDirectory);
      this.runtimeDirectory = Files.createTempDirectory("local-lambda-");
      Path bootstrap = runtimeDirectory.resolve("node").resolve(BOOTSTRAP);
      Files.createDirectories(bootstrap.getParent());
      try (InputStream in = LocalLambda.class.getResourceAsStream(BOOTSTRAP)) {
        Files.copy(Objects.requireNonNull(in, "Missing resource " + BOOTSTRAP), bootstrap);
      }
      Path home = Files.createDirectories(runtimeDirectory.resolve("home"));
      this.command = new RuntimeCommand(runtimes, bootstrap, home, this.logDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare the local Lambda", e);
    }
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "local-lambda-timers");
              thread.setDaemon(true);
              return thread;
            });
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Creates a function; its first invocation starts its first instance.
   *
   * @throws AwsServiceError {@code ResourceConflictException} if a function of that name exists
   */
  public synchronized void create(FunctionConfig function) {
    Objects.requireNonNull(function, "'function' must not be null");
    if (closed) {
      throw new IllegalStateException("The local Lambda is closed");
    }
    if (functions.containsKey(function.name())) {
      throw new AwsServiceError(
          "ResourceConflictException", "Function already exist: " + function.name(), 409);
    }
    FunctionLog log = new FunctionLog(logDirectory, function);
    logs.add(log);
    functions.put(function.name(), new FunctionPool(function, command, log, timers, maxInstances));
  }

  /**
   * Publishes a version of a function's code, as {@code PublishVersion} does; Lambda numbers them
   * from 1. Here every version runs the code the function was created with (a local deployment
   * never updates code), and no snapshot is taken: a version configured for SnapStart starts its
   * JVM as {@code $LATEST} does.
   *
   * @throws AwsServiceError {@code ResourceNotFoundException} if there is no such function
   */
  public void publishVersion(String functionName, String version) {
    if (!version.matches("[1-9][0-9]*")) {
      throw new IllegalArgumentException("A version is a positive number: " + version);
    }
    qualifiers
        .computeIfAbsent(pool(functionName).function().name(), n -> newQualifiers())
        .add(version);
  }

  /**
   * Creates an alias of a published version.
   *
   * @throws AwsServiceError {@code ResourceNotFoundException} if there is no such function or
   *     version
   */
  public void createAlias(String functionName, String alias, String version) {
    FunctionConfig function = pool(functionName).function();
    String name = function.name();
    Set<String> known = qualifiers.getOrDefault(name, Set.of());
    if (!known.contains(version)) {
      throw LambdaErrors.notFound(function.arn() + ":" + version);
    }
    if (alias.matches("[0-9]+") || alias.equals("$LATEST")) {
      throw new IllegalArgumentException("Not an alias name: " + alias);
    }
    qualifiers.get(name).add(alias);
  }

  private static Set<String> newQualifiers() {
    return ConcurrentHashMap.newKeySet();
  }

  /**
   * A function by name, by ARN, or either qualified with {@code $LATEST}, a published version or an
   * alias.
   *
   * @throws AwsServiceError {@code ResourceNotFoundException} if there is no such function
   */
  public FunctionConfig function(String functionNameOrArn) {
    return pool(functionNameOrArn).function();
  }

  /** The functions created so far. */
  public List<FunctionConfig> functions() {
    return functions.values().stream()
        .map(FunctionPool::function)
        .sorted(Comparator.comparing(FunctionConfig::name))
        .toList();
  }

  /**
   * Invokes a function synchronously ({@code RequestResponse}), blocking until it answers: its
   * result, or its error with {@code functionError} {@code Unhandled}, as Lambda reports it.
   *
   * @param payload the event, JSON; empty means {@code {}}
   * @throws AwsServiceError {@code ResourceNotFoundException} for an unknown function, {@code
   *     InvalidRequestContentException} for a payload that is not JSON, {@code
   *     RequestTooLargeException} for one beyond 6 MB
   */
  public InvokeResult invoke(String functionNameOrArn, byte[] payload) {
    return invoke(functionNameOrArn, payload, UUID.randomUUID().toString());
  }

  /**
   * Tells the listener when a function is invoked for the first time: when Lambda starts writing
   * its logs under the function's role.
   */
  public void onFirstInvocation(Consumer<FunctionConfig> listener) {
    firstInvocationListener = Objects.requireNonNull(listener, "'listener' must not be null");
  }

  /** An invocation with the given request ID, which a function URL also puts in its event. */
  InvokeResult invoke(String functionNameOrArn, byte[] payload, String requestId) {
    Objects.requireNonNull(payload, "'payload' must not be null");
    FunctionPool pool = pool(functionNameOrArn);
    if (invoked.add(pool.function().arn())) {
      firstInvocationListener.accept(pool.function());
    }
    if (payload.length > LambdaErrors.MAX_REQUEST_BYTES) {
      throw LambdaErrors.requestTooLarge();
    }
    byte[] event = payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload;
    requireJson(event);
    String invokedArn =
        functionNameOrArn.startsWith("arn:") ? functionNameOrArn : pool.function().arn();
    return pool.invoke(requestId, event, invokedArn);
  }

  /**
   * Stops a function's idle instances, as Lambda reclaims idle execution environments: its next
   * invocation starts a new one, cold.
   */
  public void recycleIdle(String functionNameOrArn) {
    pool(functionNameOrArn).recycleIdle();
  }

  /** How many instances a function has now, busy or idle. */
  public int instances(String functionNameOrArn) {
    return pool(functionNameOrArn).size();
  }

  private FunctionPool pool(String functionNameOrArn) {
    Objects.requireNonNull(functionNameOrArn, "'functionNameOrArn' must not be null");
    FunctionName name = FunctionName.parse(functionNameOrArn);
    FunctionPool pool = functions.get(name.name());
    if (pool == null
        || !name.qualifier().map(q -> q.equals("$LATEST") || isQualifierOf(pool, q)).orElse(true)
        || !name.unqualifiedArn().map(pool.function().arn()::equals).orElse(true)) {
      throw LambdaErrors.notFound(name.describe(pool == null ? null : pool.function()));
    }
    return pool;
  }

  private boolean isQualifierOf(FunctionPool pool, String qualifier) {
    return qualifiers.getOrDefault(pool.function().name(), Set.of()).contains(qualifier);
  }

  private static void requireJson(byte[] payload) {
    try (var parser = LambdaJson.MAPPER.createParser(payload)) {
      LambdaJson.MAPPER.readTree(parser);
      if (parser.nextToken() != null) {
        throw new IOException("Unexpected content after the JSON value");
      }
    } catch (IOException e) {
      throw new AwsServiceError(
          "InvalidRequestContentException",
          "Could not parse request body into json: Could not parse payload into json: "
              + e.getMessage(),
          400);
    }
  }

  /** Stops every instance and removes the runtime files; the logs stay. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down; the hook does the same.
    }
    stopAll();
  }

  private void stopAll() {
    functions.values().forEach(FunctionPool::close);
    timers.shutdownNow();
    synchronized (this) {
      logs.forEach(FunctionLog::close);
    }
    deleteRecursively(runtimeDirectory);
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(LocalLambda::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      // A leftover temporary directory is harmless (a file may vanish while the walk reads it).
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // As above.
    }
  }

  /** A function name as {@code Invoke} takes it: a name or ARN, perhaps with a qualifier. */
  private record FunctionName(
      String name, Optional<String> unqualifiedArn, Optional<String> qualifier, String given) {

    static FunctionName parse(String given) {
      if (given.startsWith("arn:")) {
        String[] parts = given.split(":", -1);
        if (parts.length < 7 || parts.length > 8 || !parts[5].equals("function")) {
          return new FunctionName("", Optional.empty(), Optional.empty(), given);
        }
        String arn = String.join(":", List.of(parts).subList(0, 7));
        Optional<String> qualifier = parts.length == 8 ? Optional.of(parts[7]) : Optional.empty();
        return new FunctionName(parts[6], Optional.of(arn), qualifier, given);
      }
      int colon = given.indexOf(':');
      return colon < 0
          ? new FunctionName(given, Optional.empty(), Optional.empty(), given)
          : new FunctionName(
              given.substring(0, colon),
              Optional.empty(),
              Optional.of(given.substring(colon + 1)),
              given);
    }

    /** How {@code ResourceNotFoundException} names the function: by its ARN where it can. */
    String describe(FunctionConfig known) {
      if (unqualifiedArn.isPresent()) {
        return given;
      }
      String arn = known != null ? known.arn() : "arn:aws:lambda:::function:" + name;
      return arn + qualifier.map(q -> ":" + q).orElse("");
    }
  }
}
