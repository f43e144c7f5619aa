package com.valuationflow.app.capacity;

import com.valuationflow.app.http.LoanApplicationsHandler;
import com.valuationflow.app.http.RequestPaths;
import com.valuationflow.app.http.ValuationWebhookHandler;
import com.valuationflow.aws.AwsClients;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.domain.port.WorkflowStarter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/**
 * The app's capacity, sized by {@link CapacitySettings}: a worker pool of {@code
 * MAX_IN_FLIGHT_REQUESTS} threads for the blocking calls of the use cases, admission control in
 * front of the API routes so that no more requests are taken on than the pool serves at once (and
 * fewer while the services behind cannot keep up, see {@link ConcurrencyLimit}), AWS clients with a
 * connection pool to match (the URL-connection client keeps only 5 idle connections a host), and
 * Step Functions' quotas kept on the client side. Closing it closes the pool.
 */
public final class Capacity implements AutoCloseable {

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final CapacitySettings settings;
  private final WorkerExecutor workers;
  private final ConcurrencyLimit limit;
  private final TokenBucket sendTask;
  private final TokenBucket startExecution;

  private Capacity(CapacitySettings settings, WorkerExecutor workers, Clock clock) {
    this.settings = settings;
    this.workers = workers;
    this.limit = new ConcurrencyLimit(settings.maxInFlightRequests());
    this.sendTask = new TokenBucket(settings.sendTaskBurst(), settings.sendTaskPerSecond(), clock);
    this.startExecution =
        new TokenBucket(settings.startExecutionBurst(), settings.startExecutionPerSecond(), clock);
  }

  /**
   * @param clock refills the rate limits' buckets
   */
  public static Capacity of(Vertx vertx, CapacitySettings settings, Clock clock) {
    Objects.requireNonNull(settings, "'settings' must not be null");
    WorkerExecutor workers =
        vertx.createSharedWorkerExecutor(
            "valuationflow-worker-" + POOLS.incrementAndGet(), settings.maxInFlightRequests());
    return new Capacity(
        settings, workers, Objects.requireNonNull(clock, "'clock' must not be null"));
  }

  /** The pool that runs the use cases' blocking calls. */
  public WorkerExecutor workers() {
    return workers;
  }

  /** Puts the admission control in front of the routes that call the adapters. */
  public void limitApiRoutes(Router router) {
    // Mounted without a path, so that the metrics' route label stays the handling route's alone.
    router
        .route()
        .handler(
            context ->
                RequestPaths.normalized(context)
                    .ifPresent(
                        path -> {
                          if (path.startsWith(LoanApplicationsHandler.PATH)
                              || path.equals(ValuationWebhookHandler.PATH)) {
                            limit.handle(context);
                          } else {
                            context.next();
                          }
                        }));
  }

  /**
   * Shows the admission control on the metrics: {@code valuationflow_admission_limit} (requests
   * answered at once now, as adapted) and {@code valuationflow_requests_in_flight}.
   */
  public void measure(MeterRegistry registry) {
    Gauge.builder("valuationflow.admission.limit", limit, ConcurrencyLimit::limit)
        .description("API requests answered at once now, as adapted to the services behind")
        .register(registry);
    Gauge.builder("valuationflow.requests.in.flight", limit, ConcurrencyLimit::inFlight)
        .description("API requests being answered now")
        .register(registry);
  }

  /** The AWS clients' settings with a pooled HTTP client: one connection per worker. */
  public AwsClients pooled(AwsClients clients) {
    return clients.withHttpClient(
        Apache5HttpClient.builder()
            .maxConnections(settings.maxInFlightRequests())
            .connectionTimeout(clients.connectionTimeout())
            .connectionAcquisitionTimeout(clients.connectionTimeout())
            .socketTimeout(clients.apiCallAttemptTimeout()));
  }

  /** The resumer with its sends kept within {@code SFN_SEND_TASK_*}. */
  public WorkflowResumer rateLimited(WorkflowResumer resumer) {
    return new RateLimitedWorkflowResumer(resumer, sendTask);
  }

  /** The starter with its starts kept within {@code SFN_START_EXECUTION_*}. */
  public WorkflowStarter rateLimited(WorkflowStarter starter) {
    return new RateLimitedWorkflowStarter(starter, startExecution);
  }

  @Override
  public void close() {
    workers.close();
  }
}
