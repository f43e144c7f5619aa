package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.testing.MutableClock;
import com.valuationflow.domain.testing.RecordingWorkflowResumer;
import com.valuationflow.domain.usecase.ResumeStrandedCallbacks;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StrandedCallbackSweeperTest {

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger searches = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A store whose every search takes the given time, counting searches and overlaps. */
  private StrandedCallbackSweeper sweeper(Duration searchTakes, Duration interval) {
    TaskTokenStore store =
        new TaskTokenStore() {
          @Override
          public List<ParkedTask> strandedCallbacks(Instant acceptedBefore, int limit) {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            searches.incrementAndGet();
            try {
              Thread.sleep(searchTakes.toMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return List.of();
          }

          @Override
          public ParkOutcome park(ParkedTask task) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Optional<ParkedTask> recordReference(
              CorrelationKey key, ValuationReference reference) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CallbackResult acceptCallback(CorrelationKey key, ValuerCallback callback) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void discardCallback(CorrelationKey key, ValuerCallback callback) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void markResumed(CorrelationKey key, TaskToken token) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void expire(CorrelationKey key, TaskToken token) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CorrelationKey valuationKeyFor(
              ApplicationReference application, CorrelationKey proposed, Instant expiresAt) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Optional<ParkedTask> waitingTask(CorrelationKey key) {
            throw new UnsupportedOperationException();
          }
        };
    return new StrandedCallbackSweeper(
        vertx,
        new ResumeStrandedCallbacks(
            store,
            new RecordingWorkflowResumer(),
            MutableClock.startingAt("2026-01-01T00:00:00Z"),
            Duration.ofSeconds(30)),
        interval);
  }

  @Test
  void searchesAtOnceThenEveryIntervalNeverTwoAtATime() throws Exception {
    StrandedCallbackSweeper sweeper = sweeper(Duration.ofMillis(100), Duration.ofMillis(10));

    sweeper.start();
    Thread.sleep(50);
    assertThat(searches).as("the first search runs at start").hasValue(1);
    Thread.sleep(600);

    assertThat(searches.get()).isBetween(3, 7);
    assertThat(mostAtOnce).hasValue(1);
    sweeper
        .stop(Duration.ofSeconds(5))
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void aStopWaitsForTheSearchUnderWayAndNoneStartsAfterIt() throws Exception {
    StrandedCallbackSweeper sweeper = sweeper(Duration.ofMillis(300), Duration.ofMillis(10));
    sweeper.start();
    Thread.sleep(50);

    long started = System.nanoTime();
    sweeper
        .stop(Duration.ofSeconds(5))
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    int afterStop = searches.get();
    Thread.sleep(200);

    assertThat(running).as("no search under way once stopped").hasValue(0);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(searches).as("none started after the stop").hasValue(afterStop);
  }

  @Test
  void aStopGivesUpWaitingAfterTheGracePeriod() throws Exception {
    StrandedCallbackSweeper sweeper = sweeper(Duration.ofSeconds(2), Duration.ofMillis(10));
    sweeper.start();
    Thread.sleep(50);

    long started = System.nanoTime();
    sweeper
        .stop(Duration.ofMillis(100))
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
  }
}
