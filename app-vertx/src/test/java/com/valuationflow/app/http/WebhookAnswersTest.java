package com.valuationflow.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.port.WebhookAnswer;
import com.valuationflow.domain.port.WebhookClaim;
import com.valuationflow.domain.port.WebhookFingerprint;
import com.valuationflow.domain.testing.MutableClock;
import com.valuationflow.inmemory.InMemoryAnsweredWebhooks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookAnswersTest {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final WebhookFingerprint CONTENT =
      WebhookFingerprint.of("c-1", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
  private final InMemoryAnsweredWebhooks store =
      new InMemoryAnsweredWebhooks(clock, Duration.ofDays(7), LEASE, 100);
  private final WebhookAnswers answers =
      new WebhookAnswers(vertx, new InFlightRequests(vertx), store);
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void close() {
    vertx.close();
  }

  private Supplier<Future<HttpAnswer>> answering(int status) {
    return () ->
        Future.succeededFuture(HttpAnswer.json(status, Map.of("run", runs.incrementAndGet())));
  }

  private static HttpAnswer await(Future<HttpAnswer> answer) throws Exception {
    return answer.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void finalAnswersAreStoredAndGivenAgainWithoutRunningAgain() throws Exception {
    HttpAnswer first = await(answers.answer("msg_1", CONTENT, answering(404)));
    HttpAnswer again = await(answers.answer("msg_1", CONTENT, answering(404)));

    assertThat(runs).hasValue(1);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.body().toString()).isEqualTo(first.body().toString());
  }

  @Test
  void provisionalAnswersAndFailuresReleaseTheIdSoTheNextDeliveryRunsAgain() throws Exception {
    await(answers.answer("msg_held", CONTENT, answering(202)));
    await(answers.answer("msg_held", CONTENT, answering(202)));
    await(answers.answer("msg_down", CONTENT, answering(503)));
    await(answers.answer("msg_down", CONTENT, answering(503)));
    Future<HttpAnswer> failed =
        answers.answer(
            "msg_failed", CONTENT, () -> Future.failedFuture(new IllegalStateException("down")));
    failed
        .toCompletionStage()
        .toCompletableFuture()
        .handle((ok, e) -> null)
        .get(5, TimeUnit.SECONDS);
    await(answers.answer("msg_failed", CONTENT, answering(200)));

    assertThat(runs).hasValue(5);
  }

  @Test
  void theSameIdWithOtherContentIsUnprocessableAndRunsNothing() throws Exception {
    await(answers.answer("msg_1", CONTENT, answering(200)));

    HttpAnswer reused =
        await(answers.answer("msg_1", WebhookFingerprint.of("c-2", new byte[0]), answering(200)));

    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.contentType()).isEqualTo(Problem.CONTENT_TYPE);
    assertThat(reused.body().toString()).contains("/problems/webhook-id-reused");
    assertThat(runs).hasValue(1);
  }

  @Test
  void aDeliveryWhileAnotherInstanceProcessesTheIdWaitsForItsAnswer() throws Exception {
    WebhookClaim.Claimed elsewhere = (WebhookClaim.Claimed) store.claim("msg_1", CONTENT);

    Future<HttpAnswer> waiting = answers.answer("msg_1", CONTENT, answering(200));
    Thread.sleep(100);
    assertThat(waiting.isComplete()).isFalse();
    store.answer(
        elsewhere, new WebhookAnswer(200, "application/json", "{\"outcome\":\"RESUMED\"}"));

    assertThat(await(waiting).body().toString()).isEqualTo("{\"outcome\":\"RESUMED\"}");
    assertThat(runs).hasValue(0);
  }

  @Test
  void aDeliveryTakesOverAnIdWhoseHolderDiedOnceTheLeaseRanOut() throws Exception {
    store.claim("msg_1", CONTENT);

    Future<HttpAnswer> waiting = answers.answer("msg_1", CONTENT, answering(200));
    Thread.sleep(100);
    clock.advance(LEASE);

    assertThat(await(waiting).status()).isEqualTo(200);
    assertThat(runs).hasValue(1);
  }
}
