package com.valuationflow.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metrics a callback service owes its operators, named {@code valuationflow_*} in Prometheus;
 * the README's "Metrics" section says what each one means. Meters are registered once per name and
 * labels and then found by them, so any number of handlers (and verticle instances) may share one
 * instance. Label values come from fixed vocabularies, never from requests: unexpected ones are
 * counted as {@code other}.
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
  private final Map<List<String>, Meter> meters = new ConcurrentHashMap<>();

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
    return counter(
        "valuationflow.callbacks",
        "Callbacks to the valuation webhook, by what became of them",
        "outcome",
        outcome.label());
  }

  /** A loan application submitted: {@code started}, {@code already_started} or {@code conflict}. */
  public void applicationSubmitted(String outcome) {
    submitted(outcome).increment();
  }

  private Counter submitted(String outcome) {
    return counter(
        "valuationflow.applications.submitted",
        "Loan applications submitted, by outcome",
        "outcome",
        outcome);
  }

  /**
   * A loan application's workflow ended.
   *
   * @param status {@code succeeded}, {@code failed}, {@code timed_out} or {@code aborted}
   * @param error the workflow's error name; empty when it succeeded
   */
  public void applicationFinished(String status, String error) {
    counter(
            "valuationflow.applications.finished",
            "Loan application workflows that ended, by status and error",
            "status",
            status,
            "error",
            boundedError(error))
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
    timer(
            "valuationflow.valuation.turnaround",
            "From the valuation request sent to the valuer to its first callback",
            WAIT_BUCKETS)
        .record(took);
  }

  /** From a callback's arrival to its workflow resumed (the store and the resume call). */
  public void resumeLatency(Duration took) {
    timer(
            "valuationflow.callback.resume",
            "From a callback's arrival to its workflow resumed",
            LATENCY_BUCKETS)
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
    return counter(
        "valuationflow.mock.valuer.attempts",
        "Mock valuer callback delivery attempts, by result",
        "result",
        result);
  }

  private Counter retries() {
    return counter(
        "valuationflow.mock.valuer.retries",
        "Mock valuer callback delivery attempts after the first");
  }

  /** A mock valuer delivery ended: {@code delivered}, {@code refused} or {@code gave_up}. */
  public void mockValuerDelivery(String result) {
    deliveries(result).increment();
  }

  private Counter deliveries(String result) {
    return counter(
        "valuationflow.mock.valuer.deliveries",
        "Mock valuer callback deliveries, by how they ended",
        "result",
        result);
  }

  /**
   * One AWS SDK call, retries included.
   *
   * @param result {@code success}, {@code rejected}, {@code throttled} or {@code error}
   * @param error the AWS error code, or the client-side failure's kind; empty on success
   */
  public void awsCall(
      String service, String operation, String result, String error, Duration took) {
    counter(
            "valuationflow.aws.calls",
            "AWS SDK calls, by service, operation and result",
            "service",
            service,
            "operation",
            operation,
            "result",
            result,
            "error",
            error)
        .increment();
    timer(
            "valuationflow.aws.call.duration",
            "AWS SDK call durations, retries included",
            LATENCY_BUCKETS,
            "service",
            service,
            "operation",
            operation)
        .record(took);
  }

  /**
   * The counter of this name and labels ({@code key, value, ...}), registered the first time: a
   * callback's path then finds it in one map rather than building and registering it again.
   */
  private Counter counter(String name, String description, String... labels) {
    return (Counter)
        meters.computeIfAbsent(
            key(name, labels),
            ignored ->
                Counter.builder(name).description(description).tags(labels).register(registry));
  }

  /** The timer of this name and labels, with these service-level buckets; as {@link #counter}. */
  private Timer timer(String name, String description, Duration[] buckets, String... labels) {
    return (Timer)
        meters.computeIfAbsent(
            key(name, labels),
            ignored ->
                Timer.builder(name)
                    .description(description)
                    .serviceLevelObjectives(buckets)
                    .tags(labels)
                    .register(registry));
  }

  private static List<String> key(String name, String... labels) {
    String[] key = new String[labels.length + 1];
    key[0] = name;
    System.arraycopy(labels, 0, key, 1, labels.length);
    return Arrays.asList(key);
  }
}
