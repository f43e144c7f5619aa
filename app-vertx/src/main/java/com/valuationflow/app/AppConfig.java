package com.valuationflow.app;

import com.valuationflow.app.auth.AccessSettings;
import com.valuationflow.app.capacity.CapacitySettings;
import com.valuationflow.app.mockvaluer.RetrySchedule;
import com.valuationflow.app.webhook.WebhookSecrets;
import com.valuationflow.app.webhook.WebhookVerifier;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import com.valuationflow.inmemory.InMemoryAnsweredWebhooks;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The app's settings, read from environment variables. Every variable has a default, except the AWS
 * settings, {@code WEBHOOK_SECRET} and access control that {@code MODE=aws} requires; a missing or
 * unparseable value stops start-up with a message naming the variable.
 *
 * @param mode {@code MODE}: {@code inmemory} (default) or {@code aws}
 * @param port {@code PORT}, the HTTP port; 0 picks a free one
 * @param managementPort {@code MANAGEMENT_PORT}, the port of {@code /metrics} and {@code
 *     /health/live}, {@code /health/ready}; 0 picks a free one
 * @param publicBaseUrl {@code PUBLIC_BASE_URL}, how valuers reach this app; the callback URL is
 *     built from it. Empty: {@code http://localhost:<port>}
 * @param valuerUrl {@code VALUER_URL}, where valuations are requested. Empty: this app's own mock
 *     valuer
 * @param valuerDelay {@code VALUER_DELAY_MS}, how long the mock valuer takes before calling back
 * @param valuerTimeout {@code VALUER_TIMEOUT_MS}, how long to wait for the valuer's reply
 * @param valuationTimeout {@code VALUATION_TIMEOUT_SECONDS}, how long a loan application waits for
 *     its valuation, in whole seconds
 * @param secondLength how long one second of a workflow definition (timeouts, retry intervals)
 *     lasts in the in-memory engine: one second, except in tests that compress time
 * @param webhooks how callbacks are authenticated
 * @param finishedExecutions how long and how many finished applications are remembered in memory
 * @param mockValuerCallbackAllowlist {@code MOCK_VALUER_CALLBACK_ALLOWLIST}, comma-separated URL
 *     prefixes the mock valuer may call back. Empty: this app's base URL only
 * @param mockValuerRetries how the mock valuer retries a callback the webhook cannot take: {@code
 *     MOCK_VALUER_RETRY_ATTEMPTS} attempts at most, waits of up to {@code
 *     MOCK_VALUER_RETRY_BASE_MS} doubling, never above {@code MOCK_VALUER_RETRY_MAX_MS}
 * @param shutdownGrace {@code SHUTDOWN_GRACE_SECONDS}, how long a stop waits for the requests in
 *     flight, and the work they started, before it abandons them
 * @param strandedCallbacks how often, and after how long, accepted callbacks never applied are
 *     resumed without the valuer
 * @param httpLimits the HTTP server's timeouts and size limits
 * @param aws the AWS settings, present exactly when the mode is {@code aws}
 * @param access who may call the loan API and see the view; required with {@code MODE=aws}
 * @param capacity how many requests are answered at once, and how fast Step Functions is called
 */
public record AppConfig(
    Mode mode,
    int port,
    int managementPort,
    Optional<URI> publicBaseUrl,
    Optional<URI> valuerUrl,
    Duration valuerDelay,
    Duration valuerTimeout,
    Duration valuationTimeout,
    Duration secondLength,
    WebhookSettings webhooks,
    FinishedExecutions finishedExecutions,
    List<URI> mockValuerCallbackAllowlist,
    RetrySchedule mockValuerRetries,
    Duration shutdownGrace,
    StrandedCallbacks strandedCallbacks,
    HttpLimits httpLimits,
    Optional<AwsSettings> aws,
    AccessSettings access,
    CapacitySettings capacity) {

  /**
   * The default of {@code SHUTDOWN_GRACE_SECONDS}: below the usual 30 s before a platform kills.
   */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);

  public static final String WEBHOOK_PATH = "/webhooks/valuations";
  public static final String MOCK_VALUER_PATH = "/valuer/valuations";

  /** Which adapters the app runs on. */
  public enum Mode {
    /** Everything in this process: the workflow engine and the token store. */
    INMEMORY,
    /** Step Functions and DynamoDB. */
    AWS
  }

  /**
   * How callbacks are authenticated, per Standard Webhooks. Secrets are redacted in {@link
   * #toString()}.
   *
   * @param secrets {@code WEBHOOK_SECRET}: one or more {@code whsec_} secrets, separated by spaces
   *     or commas; all are accepted, the first signs. Empty: one is generated at start-up, which
   *     only {@code MODE=inmemory} allows
   * @param tolerance {@code WEBHOOK_TOLERANCE_SECONDS}, how far {@code webhook-timestamp} may be
   *     from our clock, either way
   * @param idRetention {@code WEBHOOK_ID_RETENTION_SECONDS}, how long a processed {@code
   *     webhook-id} and its answer are remembered
   * @param idCapacity {@code WEBHOOK_ID_CAPACITY}, how many processed ids are remembered at most
   */
  public record WebhookSettings(
      Optional<WebhookSecrets> secrets, Duration tolerance, Duration idRetention, int idCapacity) {

    public WebhookSettings {
      Objects.requireNonNull(secrets, "'secrets' must not be null");
      Objects.requireNonNull(tolerance, "'tolerance' must not be null");
      Objects.requireNonNull(idRetention, "'idRetention' must not be null");
      if (idRetention.compareTo(tolerance) < 0) {
        throw new IllegalArgumentException(
            "WEBHOOK_ID_RETENTION_SECONDS must not be shorter than WEBHOOK_TOLERANCE_SECONDS");
      }
      if (idCapacity < 1) {
        throw new IllegalArgumentException("WEBHOOK_ID_CAPACITY must be positive");
      }
    }

    static WebhookSettings fromEnvironment(Map<String, String> env) {
      return new WebhookSettings(
          readSecrets(env),
          read(
              env,
              "WEBHOOK_TOLERANCE_SECONDS",
              Long.toString(WebhookVerifier.DEFAULT_TOLERANCE.toSeconds()),
              text -> Duration.ofSeconds(parseInt(text, 1, 86_400))),
          read(
              env,
              "WEBHOOK_ID_RETENTION_SECONDS",
              Long.toString(InMemoryAnsweredWebhooks.DEFAULT_RETENTION.toSeconds()),
              text -> Duration.ofSeconds(parseInt(text, 1, 31_536_000))),
          read(
              env,
              "WEBHOOK_ID_CAPACITY",
              Integer.toString(InMemoryAnsweredWebhooks.DEFAULT_CAPACITY),
              text -> parseInt(text, 1, 10_000_000)));
    }

    WebhookSettings withSecrets(WebhookSecrets secrets) {
      return new WebhookSettings(Optional.of(secrets), tolerance, idRetention, idCapacity);
    }

    /** Never quotes the variable's value: it is a secret. */
    private static Optional<WebhookSecrets> readSecrets(Map<String, String> env) {
      String text = env.get("WEBHOOK_SECRET");
      if (text == null || text.isBlank()) {
        return Optional.empty();
      }
      try {
        return Optional.of(WebhookSecrets.parse(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("WEBHOOK_SECRET is invalid: " + e.getMessage());
      }
    }
  }

  /**
   * What {@code MODE=inmemory} remembers of finished applications: their executions (status,
   * history) and their task records (to tell a late or repeated callback from an unknown one). Past
   * either bound an application is forgotten, and {@code GET} answers {@code 404}; applications
   * still running are never forgotten.
   *
   * @param retention {@code FINISHED_EXECUTION_RETENTION_SECONDS}, how long a finished execution is
   *     remembered
   * @param capacity {@code FINISHED_EXECUTION_CAPACITY}, how many finished executions, and how many
   *     task records no longer waiting, are remembered at most; the oldest are forgotten first
   */
  public record FinishedExecutions(Duration retention, int capacity) {

    public FinishedExecutions {
      Objects.requireNonNull(retention, "'retention' must not be null");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("FINISHED_EXECUTION_RETENTION_SECONDS must be positive");
      }
      if (capacity < 1) {
        throw new IllegalArgumentException("FINISHED_EXECUTION_CAPACITY must be positive");
      }
    }

    static FinishedExecutions fromEnvironment(Map<String, String> env) {
      return new FinishedExecutions(
          read(
              env,
              "FINISHED_EXECUTION_RETENTION_SECONDS",
              Long.toString(WorkflowEngine.DEFAULT_FINISHED_EXECUTION_RETENTION.toSeconds()),
              text -> Duration.ofSeconds(parseInt(text, 1, 31_536_000))),
          read(
              env,
              "FINISHED_EXECUTION_CAPACITY",
              Integer.toString(WorkflowEngine.DEFAULT_FINISHED_EXECUTION_CAPACITY),
              text -> parseInt(text, 1, 10_000_000)));
    }
  }

  /**
   * How the app finds and resumes stranded callbacks: accepted, but never applied because the
   * process that accepted them died (or its resume failed) after the valuer had been answered.
   *
   * @param sweepInterval {@code STRANDED_CALLBACK_SWEEP_SECONDS}, how long between two searches;
   *     the first runs at start-up
   * @param strandedAfter {@code STRANDED_CALLBACK_AGE_SECONDS}, how long after it was accepted an
   *     unapplied callback counts as stranded, rather than being applied right now
   */
  public record StrandedCallbacks(Duration sweepInterval, Duration strandedAfter) {

    public StrandedCallbacks {
      Objects.requireNonNull(sweepInterval, "'sweepInterval' must not be null");
      Objects.requireNonNull(strandedAfter, "'strandedAfter' must not be null");
      if (sweepInterval.isNegative() || sweepInterval.isZero()) {
        throw new IllegalArgumentException("STRANDED_CALLBACK_SWEEP_SECONDS must be positive");
      }
      if (strandedAfter.isNegative() || strandedAfter.isZero()) {
        throw new IllegalArgumentException("STRANDED_CALLBACK_AGE_SECONDS must be positive");
      }
    }

    static StrandedCallbacks fromEnvironment(Map<String, String> env) {
      return new StrandedCallbacks(
          read(
              env,
              "STRANDED_CALLBACK_SWEEP_SECONDS",
              "30",
              text -> Duration.ofSeconds(parseInt(text, 1, 86_400))),
          read(
              env,
              "STRANDED_CALLBACK_AGE_SECONDS",
              Long.toString(HandleValuationCallback.STUCK_AFTER.toSeconds()),
              text -> Duration.ofSeconds(parseInt(text, 1, 86_400))));
    }
  }

  /**
   * Where the AWS resources are. Credentials come from the AWS SDK's default chain (environment,
   * profile, container or instance role).
   *
   * @param region {@code AWS_REGION}; empty: the SDK's region chain (profile, instance metadata)
   * @param taskTokenTable {@code TASK_TOKEN_TABLE}, the DynamoDB table of parked tokens
   * @param stateMachineArn {@code STATE_MACHINE_ARN}, the loan processor's state machine
   * @param dynamoDbEndpoint {@code AWS_ENDPOINT_URL_DYNAMODB}, e.g. DynamoDB Local
   * @param stepFunctionsEndpoint {@code AWS_ENDPOINT_URL_SFN}, e.g. a local Step Functions
   */
  public record AwsSettings(
      Optional<String> region,
      String taskTokenTable,
      String stateMachineArn,
      Optional<URI> dynamoDbEndpoint,
      Optional<URI> stepFunctionsEndpoint) {

    public AwsSettings {
      Objects.requireNonNull(region, "'region' must not be null");
      Objects.requireNonNull(taskTokenTable, "'taskTokenTable' must not be null");
      Objects.requireNonNull(stateMachineArn, "'stateMachineArn' must not be null");
      Objects.requireNonNull(dynamoDbEndpoint, "'dynamoDbEndpoint' must not be null");
      Objects.requireNonNull(stepFunctionsEndpoint, "'stepFunctionsEndpoint' must not be null");
    }

    static AwsSettings fromEnvironment(Map<String, String> env) {
      return new AwsSettings(
          readOptional(env, "AWS_REGION", Function.identity()),
          required(env, "TASK_TOKEN_TABLE"),
          required(env, "STATE_MACHINE_ARN"),
          readOptional(env, "AWS_ENDPOINT_URL_DYNAMODB", AppConfig::parseHttpUrl),
          readOptional(env, "AWS_ENDPOINT_URL_SFN", AppConfig::parseHttpUrl));
    }
  }

  public AppConfig {
    Objects.requireNonNull(mode, "'mode' must not be null");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("PORT must be between 0 and 65535, was " + port);
    }
    if (managementPort < 0 || managementPort > 65_535) {
      throw new IllegalArgumentException(
          "MANAGEMENT_PORT must be between 0 and 65535, was " + managementPort);
    }
    if (managementPort != 0 && managementPort == port) {
      throw new IllegalArgumentException(
          "MANAGEMENT_PORT must differ from PORT, both were " + port);
    }
    Objects.requireNonNull(publicBaseUrl, "'publicBaseUrl' must not be null");
    Objects.requireNonNull(valuerUrl, "'valuerUrl' must not be null");
    Objects.requireNonNull(valuerDelay, "'valuerDelay' must not be null");
    Objects.requireNonNull(valuerTimeout, "'valuerTimeout' must not be null");
    Objects.requireNonNull(valuationTimeout, "'valuationTimeout' must not be null");
    Objects.requireNonNull(secondLength, "'secondLength' must not be null");
    Objects.requireNonNull(webhooks, "'webhooks' must not be null");
    Objects.requireNonNull(finishedExecutions, "'finishedExecutions' must not be null");
    mockValuerCallbackAllowlist =
        List.copyOf(
            Objects.requireNonNull(
                mockValuerCallbackAllowlist, "'mockValuerCallbackAllowlist' must not be null"));
    Objects.requireNonNull(mockValuerRetries, "'mockValuerRetries' must not be null");
    Objects.requireNonNull(shutdownGrace, "'shutdownGrace' must not be null");
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("SHUTDOWN_GRACE_SECONDS must not be negative");
    }
    Objects.requireNonNull(strandedCallbacks, "'strandedCallbacks' must not be null");
    Objects.requireNonNull(httpLimits, "'httpLimits' must not be null");
    Objects.requireNonNull(aws, "'aws' must not be null");
    if (aws.isPresent() != (mode == Mode.AWS)) {
      throw new IllegalArgumentException("AWS settings come with MODE=aws, and only with it");
    }
    Objects.requireNonNull(capacity, "'capacity' must not be null");
    if (mode == Mode.AWS && webhooks.secrets().isEmpty()) {
      throw new IllegalArgumentException("WEBHOOK_SECRET must be set when MODE=aws");
    }
    Objects.requireNonNull(access, "'access' must not be null");
    if (mode == Mode.AWS && !access.configured()) {
      throw new IllegalArgumentException(AccessSettings.VARIABLES + " must be set when MODE=aws");
    }
  }

  /** The defaults, as documented in the README. */
  public static AppConfig defaults() {
    return fromEnvironment(Map.of());
  }

  public static AppConfig fromEnvironment(Map<String, String> env) {
    Mode mode = read(env, "MODE", "inmemory", AppConfig::parseMode);
    return new AppConfig(
        mode,
        read(env, "PORT", "8080", text -> parseInt(text, 0, 65_535)),
        read(env, "MANAGEMENT_PORT", "9464", text -> parseInt(text, 0, 65_535)),
        readOptional(env, "PUBLIC_BASE_URL", AppConfig::parseHttpUrl),
        readOptional(env, "VALUER_URL", AppConfig::parseHttpUrl),
        read(
            env,
            "VALUER_DELAY_MS",
            "6000",
            text -> Duration.ofMillis(parseInt(text, 0, 86_400_000))),
        read(
            env,
            "VALUER_TIMEOUT_MS",
            "10000",
            text -> Duration.ofMillis(parseInt(text, 1, 600_000))),
        read(
            env,
            "VALUATION_TIMEOUT_SECONDS",
            "3600",
            text -> Duration.ofSeconds(parseInt(text, 1, 31_536_000))),
        Duration.ofSeconds(1),
        WebhookSettings.fromEnvironment(env),
        FinishedExecutions.fromEnvironment(env),
        readOptional(env, "MOCK_VALUER_CALLBACK_ALLOWLIST", AppConfig::parseHttpUrls)
            .orElse(List.of()),
        readRetrySchedule(env),
        read(
            env,
            "SHUTDOWN_GRACE_SECONDS",
            Long.toString(DEFAULT_SHUTDOWN_GRACE.toSeconds()),
            text -> Duration.ofSeconds(parseInt(text, 0, 3_600))),
        StrandedCallbacks.fromEnvironment(env),
        HttpLimits.fromEnvironment(env),
        mode == Mode.AWS ? Optional.of(AwsSettings.fromEnvironment(env)) : Optional.empty(),
        AccessSettings.fromEnvironment(env),
        CapacitySettings.fromEnvironment(env));
  }

  public AppConfig withPort(int port) {
    return copy(c -> c.port = port);
  }

  public AppConfig withManagementPort(int managementPort) {
    return copy(c -> c.managementPort = managementPort);
  }

  public AppConfig withPublicBaseUrl(URI publicBaseUrl) {
    return copy(c -> c.publicBaseUrl = Optional.of(publicBaseUrl));
  }

  public AppConfig withValuerDelay(Duration valuerDelay) {
    return copy(c -> c.valuerDelay = valuerDelay);
  }

  public AppConfig withValuerTimeout(Duration valuerTimeout) {
    return copy(c -> c.valuerTimeout = valuerTimeout);
  }

  public AppConfig withValuerUrl(URI valuerUrl) {
    return copy(c -> c.valuerUrl = Optional.of(valuerUrl));
  }

  /** Compresses time for tests: timeouts and retry intervals of the definition scale with it. */
  public AppConfig withTimeCompressedTo(Duration secondLength, Duration valuationTimeout) {
    return copy(
        c -> {
          c.secondLength = secondLength;
          c.valuationTimeout = valuationTimeout;
        });
  }

  public AppConfig withWebhookSecrets(WebhookSecrets secrets) {
    return copy(c -> c.webhooks = webhooks.withSecrets(secrets));
  }

  public AppConfig withFinishedExecutions(FinishedExecutions finishedExecutions) {
    return copy(c -> c.finishedExecutions = finishedExecutions);
  }

  public AppConfig withMockValuerRetries(RetrySchedule mockValuerRetries) {
    return copy(c -> c.mockValuerRetries = mockValuerRetries);
  }

  public AppConfig withShutdownGrace(Duration shutdownGrace) {
    return copy(c -> c.shutdownGrace = shutdownGrace);
  }

  public AppConfig withStrandedCallbacks(StrandedCallbacks strandedCallbacks) {
    return copy(c -> c.strandedCallbacks = strandedCallbacks);
  }

  public AppConfig withHttpLimits(HttpLimits httpLimits) {
    return copy(c -> c.httpLimits = httpLimits);
  }

  public AppConfig withAccess(AccessSettings access) {
    return copy(c -> c.access = access);
  }

  public AppConfig withCapacity(CapacitySettings capacity) {
    return copy(c -> c.capacity = capacity);
  }

  private AppConfig copy(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /** The settings as mutable fields, for the {@code with...} methods. */
  private static final class Copy {
    private final Mode mode;
    private int port;
    private int managementPort;
    private Optional<URI> publicBaseUrl;
    private Optional<URI> valuerUrl;
    private Duration valuerDelay;
    private Duration valuerTimeout;
    private Duration valuationTimeout;
    private Duration secondLength;
    private WebhookSettings webhooks;
    private FinishedExecutions finishedExecutions;
    private final List<URI> mockValuerCallbackAllowlist;
    private RetrySchedule mockValuerRetries;
    private Duration shutdownGrace;
    private StrandedCallbacks strandedCallbacks;
    private HttpLimits httpLimits;
    private final Optional<AwsSettings> aws;
    private AccessSettings access;
    private CapacitySettings capacity;

    Copy(AppConfig config) {
      mode = config.mode;
      port = config.port;
      managementPort = config.managementPort;
      publicBaseUrl = config.publicBaseUrl;
      valuerUrl = config.valuerUrl;
      valuerDelay = config.valuerDelay;
      valuerTimeout = config.valuerTimeout;
      valuationTimeout = config.valuationTimeout;
      secondLength = config.secondLength;
      webhooks = config.webhooks;
      finishedExecutions = config.finishedExecutions;
      mockValuerCallbackAllowlist = config.mockValuerCallbackAllowlist;
      mockValuerRetries = config.mockValuerRetries;
      shutdownGrace = config.shutdownGrace;
      strandedCallbacks = config.strandedCallbacks;
      httpLimits = config.httpLimits;
      aws = config.aws;
      access = config.access;
      capacity = config.capacity;
    }

    AppConfig build() {
      return new AppConfig(
          mode,
          port,
          managementPort,
          publicBaseUrl,
          valuerUrl,
          valuerDelay,
          valuerTimeout,
          valuationTimeout,
          secondLength,
          webhooks,
          finishedExecutions,
          mockValuerCallbackAllowlist,
          mockValuerRetries,
          shutdownGrace,
          strandedCallbacks,
          httpLimits,
          aws,
          access,
          capacity);
    }
  }

  /** How long, in real time, an application waits for its valuation. */
  public Duration realValuationTimeout() {
    return secondLength.multipliedBy(valuationTimeout.toSeconds());
  }

  /** The base URL valuers call back on, once the actual port is known. */
  public URI baseUrl(int actualPort) {
    return publicBaseUrl.orElseGet(() -> URI.create("http://localhost:" + actualPort));
  }

  public URI callbackUrl(int actualPort) {
    return resolve(baseUrl(actualPort), WEBHOOK_PATH);
  }

  /** The URL prefixes the mock valuer may call back, once the actual port is known. */
  public List<URI> effectiveMockValuerCallbackAllowlist(int actualPort) {
    return mockValuerCallbackAllowlist.isEmpty()
        ? List.of(baseUrl(actualPort))
        : mockValuerCallbackAllowlist;
  }

  public URI effectiveValuerUrl(int actualPort) {
    return valuerUrl.orElseGet(
        () -> resolve(URI.create("http://localhost:" + actualPort), MOCK_VALUER_PATH));
  }

  private static URI resolve(URI base, String path) {
    String text = base.toString();
    return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + path);
  }

  private static RetrySchedule readRetrySchedule(Map<String, String> env) {
    RetrySchedule defaults = RetrySchedule.DEFAULT;
    int attempts =
        read(
            env,
            "MOCK_VALUER_RETRY_ATTEMPTS",
            Integer.toString(defaults.attempts()),
            text -> parseInt(text, 1, 100));
    Duration baseDelay =
        read(
            env,
            "MOCK_VALUER_RETRY_BASE_MS",
            Long.toString(defaults.baseDelay().toMillis()),
            text -> Duration.ofMillis(parseInt(text, 1, 86_400_000)));
    Duration maxDelay =
        read(
            env,
            "MOCK_VALUER_RETRY_MAX_MS",
            Long.toString(defaults.maxDelay().toMillis()),
            text -> Duration.ofMillis(parseInt(text, 1, 86_400_000)));
    if (maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "MOCK_VALUER_RETRY_MAX_MS must not be less than MOCK_VALUER_RETRY_BASE_MS");
    }
    return new RetrySchedule(attempts, baseDelay, maxDelay);
  }

  private static String required(Map<String, String> env, String name) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(name + " must be set when MODE=aws");
    }
    return text.strip();
  }

  static <T> T read(
      Map<String, String> env, String name, String defaultValue, Function<String, T> parser) {
    String text = env.get(name);
    return parse(name, text == null || text.isBlank() ? defaultValue : text.strip(), parser);
  }

  private static <T> Optional<T> readOptional(
      Map<String, String> env, String name, Function<String, T> parser) {
    String text = env.get(name);
    return text == null || text.isBlank()
        ? Optional.empty()
        : Optional.of(parse(name, text.strip(), parser));
  }

  private static <T> T parse(String name, String text, Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + " is invalid: " + e.getMessage() + " (was '" + text + "')", e);
    }
  }

  private static Mode parseMode(String text) {
    try {
      return Mode.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be 'inmemory' or 'aws'", e);
    }
  }

  /**
   * A setting's whole number within bounds.
   *
   * @throws IllegalArgumentException saying what is wrong, for the caller to name the variable
   */
  public static int parseInt(String text, int min, int max) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number", e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("must be between " + min + " and " + max);
    }
    return value;
  }

  private static List<URI> parseHttpUrls(String text) {
    List<URI> urls =
        Arrays.stream(text.split(","))
            .map(String::strip)
            .filter(url -> !url.isEmpty())
            .map(AppConfig::parseHttpUrl)
            .toList();
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("must name at least one URL");
    }
    return urls;
  }

  private static URI parseHttpUrl(String text) {
    URI uri = URI.create(text);
    if (!uri.isAbsolute()
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("must be an absolute http(s) URL");
    }
    return uri;
  }
}
