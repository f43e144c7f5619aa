package com.valuationflow.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ProcessedWebhooksTest {

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final TestClock clock = new TestClock();
  private final ProcessedWebhooks processed = new ProcessedWebhooks(Duration.ofDays(7), 3, clock);
  private final AtomicInteger runs = new AtomicInteger();

  private Supplier<Future<HttpAnswer>> answering(int status) {
    return () ->
        Future.succeededFuture(HttpAnswer.json(status, Map.of("run", runs.incrementAndGet())));
  }

  private static String body(Future<HttpAnswer> answer) {
    return answer.result().body().toString();
  }

  @Test
  void aRepeatedIdGetsTheRememberedAnswerWithoutRunningAgain() {
    Future<HttpAnswer> first = processed.answer("msg_1", answering(200));
    Future<HttpAnswer> again = processed.answer("msg_1", answering(200));

    assertThat(runs).hasValue(1);
    assertThat(again.result().status()).isEqualTo(200);
    assertThat(body(again)).isEqualTo(body(first)).isEqualTo("{\"run\":1}");
    assertThat(body(processed.answer("msg_2", answering(200)))).isEqualTo("{\"run\":2}");
  }

  @Test
  void deliveriesRacingOneInProgressShareItsAnswer() {
    Promise<HttpAnswer> inProgress = Promise.promise();

    Future<HttpAnswer> first =
        processed.answer(
            "msg_1",
            () -> {
              runs.incrementAndGet();
              return inProgress.future();
            });
    Future<HttpAnswer> racing = processed.answer("msg_1", answering(200));
    inProgress.complete(HttpAnswer.json(200, Map.of("outcome", "RESUMED")));

    assertThat(runs).hasValue(1);
    assertThat(racing).isSameAs(first);
    assertThat(body(racing)).isEqualTo("{\"outcome\":\"RESUMED\"}");
  }

  @Test
  void clientErrorsAreFinalAndRemembered() {
    processed.answer("msg_1", answering(404));
    processed.answer("msg_1", answering(404));

    assertThat(runs).hasValue(1);
  }

  @Test
  void provisionalAnswersAndFailuresAreForgottenSoTheNextDeliveryRunsAgain() {
    processed.answer("msg_held", answering(202));
    processed.answer("msg_held", answering(202));
    processed.answer("msg_down", answering(503));
    processed.answer("msg_down", answering(503));
    processed.answer("msg_failed", () -> Future.failedFuture(new IllegalStateException("down")));
    processed.answer("msg_failed", answering(200));

    assertThat(runs).hasValue(5);
  }

  @Test
  void idsAreForgottenAfterTheRetentionPeriod() {
    processed.answer("msg_1", answering(200));
    clock.advance(Duration.ofDays(7).minusSeconds(1));
    processed.answer("msg_1", answering(200));
    clock.advance(Duration.ofSeconds(1));
    processed.answer("msg_1", answering(200));

    assertThat(runs).hasValue(2);
  }

  @Test
  void theOldestIdsAreForgottenBeyondTheCapacity() {
    processed.answer("msg_1", answering(200));
    processed.answer("msg_2", answering(200));
    processed.answer("msg_3", answering(200));
    processed.answer("msg_4", answering(200));

    assertThat(processed.size()).isEqualTo(3);
    processed.answer("msg_4", answering(200));
    assertThat(runs).hasValue(4);
    processed.answer("msg_1", answering(200));
    assertThat(runs).hasValue(5);
  }
}
