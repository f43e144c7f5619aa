package com.valuationflow.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Work that never blocks runs on the calling thread, counted all the same. */
class InFlightRequestsInlineTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void inlineWorkRunsOnTheCallingThreadAndItsFailuresFailTheFuture() {
    InFlightRequests inFlight = new InFlightRequests(vertx, null, true);

    Future<Thread> ran = inFlight.executeBlocking(Thread::currentThread);
    Future<Object> failed =
        inFlight.executeBlocking(
            () -> {
              throw new IllegalStateException("store down");
            });

    assertThat(ran.result()).isSameAs(Thread.currentThread());
    assertThat(failed.cause()).isInstanceOf(IllegalStateException.class).hasMessage("store down");
  }

  @Test
  void otherwiseWorkRunsOnAWorkerThread() throws Exception {
    InFlightRequests inFlight = new InFlightRequests(vertx);

    Thread worker =
        inFlight
            .executeBlocking(Thread::currentThread)
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);

    assertThat(worker).isNotSameAs(Thread.currentThread());
    assertThat(worker.getName()).contains("worker");
  }

  @Test
  void aDrainAfterInlineWorkFindsNothingLeft() throws Exception {
    InFlightRequests inFlight = new InFlightRequests(vertx, null, true);
    inFlight.executeBlocking(() -> "done");

    InFlightRequests.Drained drained =
        inFlight
            .drain(Duration.ofSeconds(5))
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);

    assertThat(drained.complete()).isTrue();
    assertThat(drained.inFlight()).isZero();
  }
}
