package com.valuationflow.app.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Vert.x with its own metrics (HTTP server and client, pools, event loops, JVM) in a Prometheus
 * registry of its own: every Vert.x instance gets the registry it is given, never a JVM-wide one,
 * so that several apps in one JVM (tests) keep their figures apart. HTTP server requests are
 * labelled by route, method and status; never by path, which would make a time series per
 * application reference.
 */
public final class VertxMetrics {

  private VertxMetrics() {}

  /** A registry for one app: Vert.x's metrics and the app's own. */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(RouteLabel.filter());
    return registry;
  }

  /** Vert.x's default labels (method, code, pool type and name, event bus side) and the route. */
  static Set<Label> labels() {
    Set<Label> labels = EnumSet.copyOf(MicrometerMetricsOptions.DEFAULT_LABELS);
    labels.add(Label.HTTP_ROUTE);
    labels.remove(Label.HTTP_PATH);
    return labels;
  }

  /** Vert.x with these options, reporting its metrics to the registry. */
  public static Vertx newVertx(VertxOptions options, PrometheusMeterRegistry registry) {
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setLabels(labels());
    return Vertx.builder()
        .with(new VertxOptions(options).setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }
}
