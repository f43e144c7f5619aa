package com.valuationflow.app.management;

import com.valuationflow.app.metrics.ServiceMetrics;
import com.valuationflow.app.metrics.ValuationTurnaround;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/**
 * What the app tells its operators: the management port's server, the readiness it reports and the
 * metrics it keeps. One per app, started before the public port and closed after it.
 *
 * @param management the server of {@code /metrics} and {@code /health/*}
 * @param readiness what {@code /health/ready} answers
 * @param metrics the {@code valuationflow_*} metrics
 * @param turnaround times valuations from their request to their callback
 */
public record Observability(
    ManagementServer management,
    Readiness readiness,
    ServiceMetrics metrics,
    ValuationTurnaround turnaround) {

  /** How long one readiness check (DynamoDB, Step Functions) may take before it counts as down. */
  static final Duration READINESS_TIMEOUT = Duration.ofSeconds(2);

  /** How long a round of readiness checks answers for: probes every second cost one call each. */
  static final Duration READINESS_CACHE = Duration.ofSeconds(2);

  /** Listens on the management port (0: any free one), not ready until {@link #started}. */
  public static Future<Observability> start(
      Vertx vertx, int managementPort, PrometheusMeterRegistry registry) {
    Readiness readiness = new Readiness(vertx, READINESS_TIMEOUT, READINESS_CACHE);
    ServiceMetrics metrics = new ServiceMetrics(registry);
    return ManagementServer.start(vertx, managementPort, registry, readiness)
        .map(
            management ->
                new Observability(
                    management, readiness, metrics, new ValuationTurnaround(metrics)));
  }

  /** The app started: ready from now on, as long as these checks pass. */
  public void started(List<ReadinessCheck> checks) {
    readiness.started(checks);
  }

  /** A stop began: not ready, for good. */
  public void stopping() {
    readiness.stopping();
  }

  public int port() {
    return management.port();
  }

  public Future<Void> close() {
    return management.close();
  }
}
