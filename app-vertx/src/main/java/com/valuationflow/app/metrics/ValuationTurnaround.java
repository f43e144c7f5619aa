package com.valuationflow.app.metrics;

import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.port.Valuer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Times each valuation from its first request to the valuer to its first callback, keyed by the
 * correlation key the callback URL carries. Only requests this process sends are seen (in {@code
 * MODE=aws} the deployed function sends them). Remembers at most {@value #CAPACITY} requests
 * awaiting their callback, forgetting the oldest first.
 */
public final class ValuationTurnaround {

  static final int CAPACITY = 10_000;

  private final ServiceMetrics metrics;
  private final Map<String, Long> requestedAt =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > CAPACITY;
        }
      };

  public ValuationTurnaround(ServiceMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "'metrics' must not be null");
  }

  /** The valuer, noting when each valuation was first requested. */
  public Valuer timing(Valuer valuer) {
    Objects.requireNonNull(valuer, "'valuer' must not be null");
    return request -> {
      requested(request);
      return valuer.requestValuation(request);
    };
  }

  private void requested(ValuationRequest request) {
    long now = System.nanoTime();
    synchronized (requestedAt) {
      requestedAt.putIfAbsent(request.idempotencyKey().value(), now);
    }
  }

  /** A callback under this correlation id arrived: records the first one's turnaround. */
  public void callbackArrived(String correlationId) {
    if (correlationId == null) {
      return;
    }
    Long started;
    synchronized (requestedAt) {
      started = requestedAt.remove(correlationId);
    }
    if (started != null) {
      metrics.valuationTurnaround(Duration.ofNanos(System.nanoTime() - started));
    }
  }
}
