package com.valuationflow.app.management;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether the app can take traffic: not while it starts or stops, and, once started, only while
 * every {@link ReadinessCheck} passes. Checks run on worker threads, each limited by a timeout;
 * their results are kept for a while, so that frequent probes do not become load on the
 * dependencies, and one round runs at a time.
 */
public final class Readiness {

  /** Where the app is in its life. */
  public enum Phase {
    STARTING,
    STARTED,
    STOPPING
  }

  /**
   * What {@code /health/ready} answers.
   *
   * @param ready whether every check passed and the app is started
   * @param phase where the app is in its life
   * @param checks each check's name and {@code UP}, or why it is down
   */
  public record Report(boolean ready, Phase phase, Map<String, String> checks) {

    public Report {
      Objects.requireNonNull(phase, "'phase' must not be null");
      checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }
  }

  private final Vertx vertx;
  private final Duration timeout;
  private final Duration cacheFor;
  private volatile Phase phase = Phase.STARTING;
  private volatile List<ReadinessCheck> checks = List.of();
  private Future<Map<String, String>> lastRound;
  private long lastRoundStarted;

  /**
   * @param timeout how long one check may take before it counts as down
   * @param cacheFor how long a round of checks answers for
   */
  public Readiness(Vertx vertx, Duration timeout, Duration cacheFor) {
    this.vertx = Objects.requireNonNull(vertx, "'vertx' must not be null");
    this.timeout = Objects.requireNonNull(timeout, "'timeout' must not be null");
    this.cacheFor = Objects.requireNonNull(cacheFor, "'cacheFor' must not be null");
  }

  /** The app started: from now on ready as long as these checks pass. */
  public void started(List<ReadinessCheck> checks) {
    this.checks = List.copyOf(checks);
    if (phase == Phase.STARTING) {
      phase = Phase.STARTED;
    }
  }

  /** The app is stopping: not ready, for good. */
  public void stopping() {
    phase = Phase.STOPPING;
  }

  public Phase phase() {
    return phase;
  }

  /** The current report: checks are run again when the last round is older than the cache. */
  public Future<Report> report() {
    Phase now = phase;
    if (now != Phase.STARTED) {
      return Future.succeededFuture(new Report(false, now, Map.of()));
    }
    return round()
        .map(
            results ->
                new Report(
                    phase == Phase.STARTED && results.values().stream().allMatch("UP"::equals),
                    phase,
                    results));
  }

  private synchronized Future<Map<String, String>> round() {
    long nowNanos = System.nanoTime();
    if (lastRound != null
        && (!lastRound.isComplete() || nowNanos - lastRoundStarted < cacheFor.toNanos())) {
      return lastRound;
    }
    List<Future<String>> results = new ArrayList<>();
    for (ReadinessCheck check : checks) {
      results.add(run(check));
    }
    lastRoundStarted = nowNanos;
    lastRound =
        Future.join(results)
            .transform(
                ignored -> {
                  Map<String, String> byName = new LinkedHashMap<>();
                  for (int i = 0; i < checks.size(); i++) {
                    byName.put(checks.get(i).name(), results.get(i).result());
                  }
                  return Future.succeededFuture(byName);
                });
    return lastRound;
  }

  /** {@code UP}, or why not; never fails. */
  private Future<String> run(ReadinessCheck check) {
    Promise<String> result = Promise.promise();
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            fired -> result.tryComplete("DOWN: no answer within " + timeout.toMillis() + " ms"));
    vertx
        .executeBlocking(check.probe()::call, false)
        .onComplete(
            done -> {
              vertx.cancelTimer(timer);
              result.tryComplete(done.succeeded() ? "UP" : "DOWN: " + describe(done.cause()));
            });
    return result.future();
  }

  private static String describe(Throwable failure) {
    String text = failure.getClass().getSimpleName();
    if (failure.getMessage() != null) {
      text += ": " + failure.getMessage();
    }
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
