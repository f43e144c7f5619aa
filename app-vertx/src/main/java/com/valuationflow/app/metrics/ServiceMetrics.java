package com.valuationflow.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metrics a callback service owes its operators, named {@code valuationflow_*} in Prometheus;
 * the README's "Metrics" section says what each one means. Meters are looked up by name and labels,
 * so any number of handlers (and verticle instances) may share one instance. Label values come from
 * fixed vocabularies, never from requests: unexpected ones are counted as {@code other}.
 */
public final class ServiceMetrics {

  /** How many distinct workflow error names are kept as labels before the rest become "other". */
  private static final int MAX_ERROR_LABELS = 50;

  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(25),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5)
  };

  private static final Duration[] WAIT_BUCKETS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(10),
    Duration.ofMinutes(1),
    Duration.ofMinutes(10),
    Duration.ofHours(1),
    Duration.ofHours(6)
  };

  private final MeterRegistry registry;
  private final Set<String> errorLabels = ConcurrentHashMap.newKeySet();

  /** Registers the counters whose labels are known in advance at zero, so that they show. */
  public ServiceMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
    for (CallbackOutcome outcome : CallbackOutcome.values()) {
      callbacks(outcome);
    }
    for (String outcome : List.of("started", "already_started", "conflicts_with_existing")) {
      submitted(outcome);
    }
    for (String result : List.of("delivered", "refused", "retryable")) {
      attempts(result);
    }
    retries();
    for (String result : List.of("delivered", "refused", "gave_up")) {
      deliveries(result);
    }
  }

  /** Metrics that go nowhere, for parts built without a registry (unit tests). */
  public static ServiceMetrics discarding() {
    return new ServiceMetrics(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** What became of a callback to the webhook. */
  public enum CallbackOutcome {
    RESUMED,
    DUPLICATE,
    DUPLICATE_IN_PROGRESS,
    HELD_UNTIL_REPLY,
    CONFLICT,
    LATE,
    UNKNOWN,
    INVALID_SIGNATURE,
    STALE_TIMESTAMP,
    INVALID_BODY,
    /** The same message (its {@code webhook-id}) again, answered with its first answer. */
    REDELIVERED,
    /** A {@code webhook-id} used before for a different callback. */
    WEBHOOK_ID_REUSED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public void callback(CallbackOutcome outcome) {
    callbacks(outcome).increment();
  }

  private Counter callbacks(CallbackOutcome outcome) {
    return Counter.builder("valuationflow.callbacks")
        .description("Callbacks to the valuation webhook, by what became of them")
        .tag("outcome", outcome.label())
        .register(registry);
  }

  /** A loan application submitted: {@code started}, {@code already_started} or {@code conflict}. */
  public void applicationSubmitted(String outcome) {
    submitted(outcome).increment();
  }

  private Counter submitted(String outcome) {
    return Counter.builder("valuationflow.applications.submitted")
        .description("Loan applications submitted, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * A loan application's workflow ended.
   *
   * @param status {@code succeeded}, {@code failed}, {@code timed_out} or {@code aborted}
   * @param error the workflow's error name; empty when it succeeded
   */
  public void applicationFinished(String status, String error) {
    Counter.builder("valuationflow.applications.finished")
        .description("Loan application workflows that ended, by status and error")
        .tag("status", status)
        .tag("error", boundedError(error))
        .register(registry)
        .increment();
  }

  private String boundedError(String error) {
    if (error.isEmpty() || errorLabels.contains(error)) {
      return error;
    }
    if (errorLabels.size() >= MAX_ERROR_LABELS || error.length() > 80) {
      return "other";
    }
    errorLabels.add(error);
    return error;
  }

  /** From the valuation request sent to the valuer to its first callback. */
  public void valuationTurnaround(Duration took) {
    Timer.builder("valuationflow.valuation.turnaround")
        .description("From the valuation request sent to the valuer to its first callback")
        .serviceLevelObjectives(WAIT_BUCKETS)
        .register(registry)
        .record(took);
  }

  /** From a callback's arrival to its workflow resumed (the store and the resume call). */
  public void resumeLatency(Duration took) {
    Timer.builder("valuationflow.callback.resume")
        .description("From a callback's arrival to its workflow resumed")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry)
        .record(took);
  }

  /**
   * One attempt of the mock valuer to deliver a callback.
   *
   * @param result {@code delivered}, {@code refused} (a final non-2xx) or {@code retryable}
   * @param retry whether it was a second or later attempt
   */
  public void mockValuerAttempt(String result, boolean retry) {
    attempts(result).increment();
    if (retry) {
      retries().increment();
    }
  }

  private Counter attempts(String result) {
    return Counter.builder("valuationflow.mock.valuer.attempts")
        .description("Mock valuer callback delivery attempts, by result")
        .tag("result", result)
        .register(registry);
  }

  private Counter retries() {
    return Counter.builder("valuationflow.mock.valuer.retries")
        .description("Mock valuer callback delivery attempts after the first")
        .register(registry);
  }

  /** A mock valuer delivery ended: {@code delivered}, {@code refused} or {@code gave_up}. */
  public void mockValuerDelivery(String result) {
    deliveries(result).increment();
  }

  private Counter deliveries(String result) {
    return Counter.builder("valuationflow.mock.valuer.deliveries")
        .description("Mock valuer callback deliveries, by how they ended")
        .tag("result", result)
        .register(registry);
  }

  /**
   * One AWS SDK call, retries included.
   *
   * @param result {@code success}, {@code rejected}, {@code throttled} or {@code error}
   * @param error the AWS error code, or the client-side failure's kind; empty on success
   */
  public void awsCall(
      String service, String operation, String result, String error, Duration took) {
    Counter.builder("valuationflow.aws.calls")
        .description("AWS SDK calls, by service, operation and result")
        .tag("service", service)
        .tag("operation", operation)
        .tag("result", result)
        .tag("error", error)
        .register(registry)
        .increment();
    Timer.builder("valuationflow.aws.call.duration")
        .description("AWS SDK call durations, retries included")
        .tag("service", service)
        .tag("operation", operation)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry)
        .record(took);
  }
}
