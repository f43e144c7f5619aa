package com.valuationflow.app;

import com.valuationflow.app.auth.AccessControl;
import com.valuationflow.app.capacity.Capacity;
import com.valuationflow.app.http.ApiRouter;
import com.valuationflow.app.http.HttpServers;
import com.valuationflow.app.http.InFlightRequests;
import com.valuationflow.app.http.LoanApplicationsHandler;
import com.valuationflow.app.http.Problem;
import com.valuationflow.app.http.ProblemHandler;
import com.valuationflow.app.http.RequestTimeoutHandler;
import com.valuationflow.app.http.ValuationWebhookHandler;
import com.valuationflow.app.http.WebhookAnswers;
import com.valuationflow.app.http.WebhookSignatureHandler;
import com.valuationflow.app.management.AwsReadinessChecks;
import com.valuationflow.app.management.Observability;
import com.valuationflow.app.management.ReadinessCheck;
import com.valuationflow.app.metrics.AwsCallMetrics;
import com.valuationflow.app.metrics.ServiceMetrics;
import com.valuationflow.app.metrics.VertxMetrics;
import com.valuationflow.app.metrics.WorkflowMetrics;
import com.valuationflow.app.mockvaluer.CallbackAllowlist;
import com.valuationflow.app.mockvaluer.CallbackSender;
import com.valuationflow.app.mockvaluer.MockValuerHandler;
import com.valuationflow.app.valuer.HttpValuer;
import com.valuationflow.app.view.MockValuerScenarios;
import com.valuationflow.app.view.ViewHandler;
import com.valuationflow.app.view.ViewRoutes;
import com.valuationflow.app.webhook.WebhookSecrets;
import com.valuationflow.app.webhook.WebhookSigner;
import com.valuationflow.app.webhook.WebhookVerifier;
import com.valuationflow.aws.AwsClients;
import com.valuationflow.aws.DynamoDbAnsweredWebhooks;
import com.valuationflow.aws.DynamoDbSubmissions;
import com.valuationflow.aws.DynamoDbTaskTokenStore;
import com.valuationflow.aws.StateMachineArn;
import com.valuationflow.aws.StepFunctionsWorkflowExecutions;
import com.valuationflow.aws.StepFunctionsWorkflowResumer;
import com.valuationflow.aws.StepFunctionsWorkflowStarter;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.port.AnsweredWebhooks;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.WorkflowExecutions;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.domain.usecase.GetLoanApplication;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.domain.usecase.ResumeStrandedCallbacks;
import com.valuationflow.domain.usecase.SubmitLoanApplication;
import com.valuationflow.inmemory.InMemoryAnsweredWebhooks;
import com.valuationflow.inmemory.InMemoryTaskTokenStore;
import com.valuationflow.inmemory.InMemoryWorkflowExecutions;
import com.valuationflow.inmemory.InMemoryWorkflowResumer;
import com.valuationflow.inmemory.InMemoryWorkflowStarter;
import com.valuationflow.inmemory.RequestValuationTaskHandler;
import com.valuationflow.inmemory.workflow.ClosedTask;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The composition root: builds the adapters the configuration's mode asks for, the use cases over
 * them, and the HTTP routes over those.
 */
public final class ValuationFlowApplication {

  /** After the drain, how long the server waits for answers still being written (refusals). */
  private static final Duration CONNECTION_CLOSE_TIMEOUT = Duration.ofMillis(500);

  /** How often a live view reads an execution's history: the engine's is cheap to read. */
  private static final Duration VIEW_POLL_INTERVAL_IN_MEMORY = Duration.ofMillis(250);

  /** Step Functions allows a few GetExecutionHistory calls a second per account: poll gently. */
  private static final Duration VIEW_POLL_INTERVAL_AWS = Duration.ofSeconds(2);

  private static final int MAX_LIVE_STREAMS_IN_MEMORY = 100;

  /**
   * Each stream polls GetExecutionHistory, whose quota refills at a few calls a second per account:
   * few streams at once.
   */
  private static final int MAX_LIVE_STREAMS_AWS = 10;

  private static final Duration MOCK_VALUER_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Valuation requests in flight at once, in memory: as many engine workers (each blocks on one
   * request) as connections to the valuer, so that neither queues behind the other.
   */
  private static final int CONCURRENT_VALUATION_REQUESTS =
      WorkflowEngine.DEFAULT_MAX_CONCURRENT_INVOCATIONS;

  private final Vertx vertx;
  private final HttpServers server;
  private final InFlightRequests inFlight;
  private final Duration shutdownGrace;
  private final List<AutoCloseable> resources;
  private final StrandedCallbackSweeper strandedCallbacks;
  private final Observability observability;
  private Future<InFlightRequests.Drained> stopped;

  private ValuationFlowApplication(
      Vertx vertx,
      HttpServers server,
      InFlightRequests inFlight,
      Duration shutdownGrace,
      List<AutoCloseable> resources,
      StrandedCallbackSweeper strandedCallbacks,
      Observability observability) {
    this.vertx = vertx;
    this.server = server;
    this.inFlight = inFlight;
    this.shutdownGrace = shutdownGrace;
    this.resources = resources;
    this.strandedCallbacks = strandedCallbacks;
    this.observability = observability;
  }

  /** The adapters behind the ports, and what to close when the app stops. */
  private record Adapters(
      WorkflowStarter starter,
      WorkflowExecutions executions,
      WorkflowResumer resumer,
      TaskTokenStore taskTokenStore,
      AnsweredWebhooks answeredWebhooks,
      List<AutoCloseable> resources,
      List<ReadinessCheck> readinessChecks) {}

  /**
   * Listens first, so that the callback and mock-valuer URLs can name the actual port (the
   * configured one may be 0), then builds the adapters and mounts the routes; then resumes the
   * callbacks stranded by an instance that died, and keeps doing so periodically.
   */
  public static Future<ValuationFlowApplication> start(Vertx vertx, AppConfig config) {
    return start(vertx, config, Clock.systemUTC());
  }

  /**
   * As {@link #start(Vertx, AppConfig)}, with the clock that signs and checks callbacks, dates
   * executions and decides when finished ones are forgotten; tests move it.
   */
  public static Future<ValuationFlowApplication> start(Vertx vertx, AppConfig config, Clock clock) {
    return start(vertx, config, clock, VertxMetrics.newRegistry());
  }

  /**
   * As {@link #start(Vertx, AppConfig, Clock)}, with the registry {@code /metrics} shows: the one
   * Vert.x was built with (see {@link VertxMetrics#newVertx}) to show Vert.x's metrics too.
   */
  public static Future<ValuationFlowApplication> start(
      Vertx vertx, AppConfig config, Clock clock, PrometheusMeterRegistry registry) {
    return Observability.start(vertx, config.managementPort(), registry)
        .compose(
            observability ->
                start(vertx, config, clock, observability)
                    .onFailure(failure -> observability.close()));
  }

  private static Future<ValuationFlowApplication> start(
      Vertx vertx, AppConfig config, Clock clock, Observability observability) {
    Router router = Router.router(vertx);
    Capacity capacity = Capacity.of(vertx, config.capacity(), clock);
    // In memory, the adapters never block: their calls run on the event loop, without thread hops.
    InFlightRequests inFlight =
        new InFlightRequests(vertx, capacity.workers(), config.mode() == AppConfig.Mode.INMEMORY);
    router.route().handler(inFlight::admit);
    router.route().handler(new RequestTimeoutHandler(vertx, config.httpLimits().requestTimeout()));
    capacity.limitApiRoutes(router);
    capacity.measure(observability.metrics().registry());
    Route starting = router.route().handler(ValuationFlowApplication::notReadyYet);
    return HttpServers.listen(
            vertx,
            config.httpLimits().serverOptions(),
            config.port(),
            HttpServers.defaultInstances(),
            router,
            ProblemHandler::invalidRequest)
        .compose(
            server ->
                vertx
                    .executeBlocking(
                        () ->
                            adapters(
                                config, vertx, server.actualPort(), clock, observability, capacity))
                    .onFailure(
                        failure -> {
                          server.close();
                          capacity.close();
                        })
                    .map(
                        adapters -> {
                          // Routes first, then the 503 in front of them goes: the servers on the
                          // other event loops route requests meanwhile, and must never see a
                          // router without its routes (a 404 a valuer would take as final).
                          ValuationFlowApplication app =
                              mount(
                                  vertx,
                                  config,
                                  router,
                                  server,
                                  inFlight,
                                  adapters,
                                  clock,
                                  observability);
                          starting.remove();
                          return app;
                        }));
  }

  /** While the adapters are being built: come back shortly, rather than a misleading 404. */
  private static void notReadyYet(RoutingContext ctx) {
    ctx.response().putHeader("Retry-After", "1");
    Problem.of(503, "starting", "Starting", "The app is starting; try again in a moment").send(ctx);
  }

  private static Adapters adapters(
      AppConfig config,
      Vertx vertx,
      int port,
      Clock clock,
      Observability observability,
      Capacity capacity) {
    Adapters adapters =
        switch (config.mode()) {
          case INMEMORY -> inMemory(config, vertx, port, clock, observability);
          case AWS ->
              aws(
                  config.aws().orElseThrow(),
                  config.webhooks().idRetention(),
                  clock,
                  observability.metrics(),
                  capacity);
        };
    List<AutoCloseable> resources = new java.util.ArrayList<>(adapters.resources());
    resources.add(capacity);
    return new Adapters(
        adapters.starter(),
        adapters.executions(),
        adapters.resumer(),
        adapters.taskTokenStore(),
        adapters.answeredWebhooks(),
        List.copyOf(resources),
        adapters.readinessChecks());
  }

  private static Adapters inMemory(
      AppConfig config, Vertx vertx, int port, Clock clock, Observability observability) {
    AppConfig.FinishedExecutions finished = config.finishedExecutions();
    WebClient valuerClient =
        WebClient.create(
            vertx,
            new WebClientOptions(),
            new PoolOptions().setHttp1MaxSize(CONCURRENT_VALUATION_REQUESTS));
    WorkflowEngine engine =
        WorkflowEngine.builder(StateMachineDefinition.parse(LoanProcessorDefinition.load()))
            .clock(clock)
            .secondLength(config.secondLength())
            .maxConcurrentInvocations(CONCURRENT_VALUATION_REQUESTS)
            .stateMachineName("LoanProcessor")
            .finishedExecutionRetention(finished.retention())
            .finishedExecutionCapacity(finished.capacity())
            .build();
    engine.addHistoryListener(new WorkflowMetrics(observability.metrics()));
    InMemoryTaskTokenStore taskTokenStore =
        new InMemoryTaskTokenStore(
            clock, InMemoryTaskTokenStore.DEFAULT_RETENTION, finished.capacity());
    engine.addTaskTokenListener(
        closed -> {
          if (closed.reason() == ClosedTask.Reason.TIMED_OUT
              || closed.reason() == ClosedTask.Reason.EXECUTION_ENDED) {
            taskTokenStore.expire(ApplicationReference.of(closed.executionName()), closed.token());
          }
        });
    WorkflowResumer resumer = new InMemoryWorkflowResumer(engine);
    engine.registerFunction(
        LoanProcessorDefinition.REQUEST_VALUATION_FUNCTION,
        new RequestValuationTaskHandler(
            new RequestValuation(
                observability
                    .turnaround()
                    .timing(
                        new HttpValuer(
                            valuerClient, config.effectiveValuerUrl(port), config.valuerTimeout())),
                taskTokenStore,
                resumer,
                config.callbackUrl(port),
                clock)));
    return new Adapters(
        new InMemoryWorkflowStarter(engine),
        new InMemoryWorkflowExecutions(engine),
        resumer,
        taskTokenStore,
        new InMemoryAnsweredWebhooks(
            clock,
            config.webhooks().idRetention(),
            AnsweredWebhooks.DEFAULT_LEASE,
            config.webhooks().idCapacity()),
        List.of(engine, valuerClient::close),
        List.of());
  }

  /**
   * Step Functions and DynamoDB. The RequestValuation step runs in the deployed function, not here:
   * this app starts and reports executions and resumes them from the webhook.
   */
  private static Adapters aws(
      AppConfig.AwsSettings settings,
      Duration idRetention,
      Clock clock,
      ServiceMetrics metrics,
      Capacity capacity) {
    String region = settings.region().orElseGet(ValuationFlowApplication::regionFromSdkChain);
    AwsClients clients =
        capacity.pooled(AwsClients.forRegion(region)).withInterceptor(new AwsCallMetrics(metrics));
    SfnClient sfn =
        settings
            .stepFunctionsEndpoint()
            .map(clients::withEndpointOverride)
            .orElse(clients)
            .newSfnClient();
    DynamoDbClient dynamoDb =
        settings
            .dynamoDbEndpoint()
            .map(clients::withEndpointOverride)
            .orElse(clients)
            .newDynamoDbClient();
    StateMachineArn stateMachine = StateMachineArn.of(settings.stateMachineArn());
    return new Adapters(
        capacity.rateLimited(
            new StepFunctionsWorkflowStarter(
                sfn,
                stateMachine,
                new DynamoDbSubmissions(dynamoDb, settings.taskTokenTable(), clock))),
        new StepFunctionsWorkflowExecutions(sfn, stateMachine),
        capacity.rateLimited(new StepFunctionsWorkflowResumer(sfn, stateMachine)),
        new DynamoDbTaskTokenStore(dynamoDb, settings.taskTokenTable(), clock),
        new DynamoDbAnsweredWebhooks(
            dynamoDb,
            settings.taskTokenTable(),
            clock,
            idRetention,
            AnsweredWebhooks.DEFAULT_LEASE),
        List.of(sfn, dynamoDb),
        AwsReadinessChecks.of(
            dynamoDb, settings.taskTokenTable(), sfn, settings.stateMachineArn()));
  }

  private static String regionFromSdkChain() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (SdkClientException e) {
      throw new IllegalArgumentException(
          "AWS_REGION must be set when MODE=aws (no region in the AWS profile either)", e);
    }
  }

  private static ValuationFlowApplication mount(
      Vertx vertx,
      AppConfig config,
      Router router,
      HttpServers server,
      InFlightRequests inFlight,
      Adapters adapters,
      Clock clock,
      Observability observability) {
    ServiceMetrics metrics = observability.metrics();
    AppConfig.WebhookSettings webhooks = config.webhooks();
    WebhookSecrets secrets = webhooks.secrets().orElseGet(ValuationFlowApplication::generateSecret);
    WebClient mockValuerClient =
        WebClient.create(
            vertx,
            new WebClientOptions(),
            new PoolOptions().setHttp1MaxSize(CONCURRENT_VALUATION_REQUESTS));
    CallbackSender mockValuerCallbacks =
        new CallbackSender(
            vertx,
            mockValuerClient,
            new WebhookSigner(secrets.signing(), clock),
            config.mockValuerRetries(),
            MOCK_VALUER_ATTEMPT_TIMEOUT,
            metrics);
    List<AutoCloseable> resources = new java.util.ArrayList<>(adapters.resources());
    AccessControl.protect(vertx, router, config.access(), clock).ifPresent(resources::add);
    ApiRouter.mount(
        router,
        new LoanApplicationsHandler(
            inFlight,
            new SubmitLoanApplication(adapters.starter(), config.valuationTimeout()),
            new GetLoanApplication(adapters.executions()),
            metrics),
        new WebhookSignatureHandler(
            new WebhookVerifier(secrets, webhooks.tolerance(), clock), metrics),
        new ValuationWebhookHandler(
            inFlight,
            new HandleValuationCallback(adapters.taskTokenStore(), adapters.resumer(), clock),
            new WebhookAnswers(vertx, inFlight, adapters.answeredWebhooks(), metrics),
            metrics,
            observability.turnaround()),
        config.mode() == AppConfig.Mode.INMEMORY
            ? Optional.of(
                new MockValuerHandler(
                    vertx,
                    mockValuerCallbacks,
                    CallbackAllowlist.of(
                        config.effectiveMockValuerCallbackAllowlist(server.actualPort())),
                    config.valuerDelay(),
                    config.realValuationTimeout(),
                    config.valuerTimeout(),
                    clock))
            : Optional.empty());
    mountView(vertx, config, router, inFlight, adapters, clock);
    resources.add(mockValuerCallbacks);
    resources.add(mockValuerClient::close);
    AppConfig.StrandedCallbacks stranded = config.strandedCallbacks();
    StrandedCallbackSweeper sweeper =
        new StrandedCallbackSweeper(
            vertx,
            new ResumeStrandedCallbacks(
                adapters.taskTokenStore(), adapters.resumer(), clock, stranded.strandedAfter()),
            stranded.sweepInterval());
    sweeper.start();
    observability.started(adapters.readinessChecks());
    return new ValuationFlowApplication(
        vertx,
        server,
        inFlight,
        config.shutdownGrace(),
        List.copyOf(resources),
        sweeper,
        observability);
  }

  /** The execution view at {@code /}: in memory it polls often, Step Functions less so. */
  private static void mountView(
      Vertx vertx,
      AppConfig config,
      Router router,
      InFlightRequests inFlight,
      Adapters adapters,
      Clock clock) {
    boolean inMemory = config.mode() == AppConfig.Mode.INMEMORY;
    ViewRoutes.mount(
        router,
        new ViewHandler(
            vertx,
            inFlight,
            adapters.executions(),
            inMemory ? MockValuerScenarios.all() : List.of(),
            config.secondLength(),
            inMemory ? VIEW_POLL_INTERVAL_IN_MEMORY : VIEW_POLL_INTERVAL_AWS,
            inMemory ? MAX_LIVE_STREAMS_IN_MEMORY : MAX_LIVE_STREAMS_AWS,
            clock));
  }

  /** Only {@code MODE=inmemory} gets here: its own mock valuer is the only valuer to share it. */
  private static WebhookSecrets generateSecret() {
    System.getLogger(ValuationFlowApplication.class.getName())
        .log(
            System.Logger.Level.INFO,
            "WEBHOOK_SECRET is not set: callbacks are signed with a secret generated for this run");
    return WebhookSecrets.generate();
  }

  public int port() {
    return server.actualPort();
  }

  /** The management port: {@code /metrics}, {@code /health/live}, {@code /health/ready}. */
  public int managementPort() {
    return observability.port();
  }

  /**
   * Turns {@code /health/ready} not ready, then refuses new requests ({@code 503}, {@code
   * Retry-After}) and starts no more searches for stranded callbacks, waits up to the grace period
   * for the requests in flight, the blocking work they started and a search under way, closes the
   * server's connections, then releases the adapters (engine, AWS clients) in order and closes the
   * management port last. Work still running after the grace period is abandoned and counted in the
   * result. Fails only if closing something failed; repeated calls share the first one's outcome.
   */
  public synchronized Future<InFlightRequests.Drained> stop() {
    if (stopped == null) {
      observability.stopping();
      Future<Void> sweepStopped = strandedCallbacks.stop(shutdownGrace);
      stopped =
          inFlight
              .drain(shutdownGrace)
              .compose(drained -> sweepStopped.map(drained))
              .compose(
                  drained ->
                      server
                          .shutdown(CONNECTION_CLOSE_TIMEOUT)
                          .transform(closed -> release(closed.cause()))
                          .eventually(observability::close)
                          .map(drained));
    }
    return stopped;
  }

  /** Closes every resource, even after a failure; fails with the first failure, others added. */
  private Future<Void> release(Throwable serverFailure) {
    return vertx.executeBlocking(
        () -> {
          Exception failure =
              serverFailure == null
                  ? null
                  : new IllegalStateException("Closing the HTTP server failed", serverFailure);
          for (AutoCloseable resource : resources) {
            try {
              resource.close();
            } catch (Exception e) {
              if (failure == null) {
                failure = e;
              } else {
                failure.addSuppressed(e);
              }
            }
          }
          if (failure != null) {
            throw failure;
          }
          return null;
        },
        false);
  }
}
