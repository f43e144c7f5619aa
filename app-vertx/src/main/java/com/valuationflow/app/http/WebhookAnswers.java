package com.valuationflow.app.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.valuationflow.app.logging.LogFields;
import com.valuationflow.app.metrics.ServiceMetrics;
import com.valuationflow.app.metrics.ServiceMetrics.CallbackOutcome;
import com.valuationflow.domain.port.AnsweredWebhooks;
import com.valuationflow.domain.port.WebhookAnswer;
import com.valuationflow.domain.port.WebhookClaim;
import com.valuationflow.domain.port.WebhookFingerprint;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers each {@code webhook-id} once, whichever instance a delivery reaches: a delivery claims
 * its id in the shared {@link AnsweredWebhooks} and only the winner processes it. Repeats get the
 * stored answer; deliveries racing one in progress wait for its answer (on this instance they share
 * it, from another they ask the store again until it is there, or until the holder's lease ran out
 * and they take the id over); the same id with other content is {@code 422
 * /problems/webhook-id-reused}. Only final answers are stored; after a provisional {@code 202} or a
 * failure the id is released and the next delivery is processed afresh.
 */
public final class WebhookAnswers {

  private static final System.Logger LOG = System.getLogger(WebhookAnswers.class.getName());
  private static final Duration FIRST_POLL = Duration.ofMillis(25);
  private static final Duration LONGEST_POLL = Duration.ofSeconds(1);

  private record Delivery(String webhookId, WebhookFingerprint fingerprint) {}

  private final Vertx vertx;
  private final InFlightRequests inFlight;
  private final AnsweredWebhooks store;
  private final ServiceMetrics metrics;
  private final Map<Delivery, Future<HttpAnswer>> inProgressHere = new ConcurrentHashMap<>();

  public WebhookAnswers(Vertx vertx, InFlightRequests inFlight, AnsweredWebhooks store) {
    this(vertx, inFlight, store, ServiceMetrics.discarding());
  }

  /**
   * @param metrics counts repeated deliveries answered without processing them
   */
  public WebhookAnswers(
      Vertx vertx, InFlightRequests inFlight, AnsweredWebhooks store, ServiceMetrics metrics) {
    this.vertx = Objects.requireNonNull(vertx, "'vertx' must not be null");
    this.inFlight = Objects.requireNonNull(inFlight, "'inFlight' must not be null");
    this.store = Objects.requireNonNull(store, "'store' must not be null");
    this.metrics = Objects.requireNonNull(metrics, "'metrics' must not be null");
  }

  /**
   * The answer for this delivery: stored, shared, or the one {@code process} comes to. Deliveries
   * on several event loops at once are processed in parallel, each {@code webhook-id} once.
   */
  public Future<HttpAnswer> answer(
      String webhookId, WebhookFingerprint fingerprint, Supplier<Future<HttpAnswer>> process) {
    Delivery delivery = new Delivery(webhookId, fingerprint);
    Promise<HttpAnswer> answer = Promise.promise();
    Future<HttpAnswer> running = inProgressHere.putIfAbsent(delivery, answer.future());
    if (running != null) {
      metrics.callback(CallbackOutcome.REDELIVERED);
      return running;
    }
    attempt(delivery, process, FIRST_POLL)
        .onComplete(
            done -> {
              inProgressHere.remove(delivery, answer.future());
              answer.handle(done);
            });
    return answer.future();
  }

  /** {@code 2xx} other than {@code 202 Accepted}, and {@code 4xx}: the same again on a retry. */
  static boolean isFinal(HttpAnswer answer) {
    int status = answer.status();
    return (status / 100 == 2 && status != 202) || status / 100 == 4;
  }

  static HttpAnswer reused(String webhookId) {
    return HttpAnswer.of(
        Problem.of(
            422,
            "webhook-id-reused",
            "Webhook id reused",
            "webhook-id '" + webhookId + "' was already used for a different callback"));
  }

  private Future<HttpAnswer> attempt(
      Delivery delivery, Supplier<Future<HttpAnswer>> process, Duration wait) {
    return inFlight
        .executeBlocking(() -> store.claim(delivery.webhookId(), delivery.fingerprint()))
        .compose(
            claim -> {
              if (claim instanceof WebhookClaim.Claimed claimed) {
                return processed(claimed, process);
              }
              if (claim instanceof WebhookClaim.Answered answered) {
                metrics.callback(CallbackOutcome.REDELIVERED);
                return Future.succeededFuture(httpAnswer(answered.answer()));
              }
              if (claim instanceof WebhookClaim.Reused) {
                metrics.callback(CallbackOutcome.WEBHOOK_ID_REUSED);
                return Future.succeededFuture(reused(delivery.webhookId()));
              }
              return later(wait).compose(ignored -> attempt(delivery, process, longer(wait)));
            });
  }

  private Future<HttpAnswer> processed(
      WebhookClaim.Claimed claim, Supplier<Future<HttpAnswer>> process) {
    Future<HttpAnswer> answer;
    try {
      answer = process.get();
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.compose(
        given -> (isFinal(given) ? keep(claim, given) : release(claim)).map(ignored -> given),
        failure -> release(claim).transform(ignored -> Future.failedFuture(failure)));
  }

  private Future<Void> keep(WebhookClaim.Claimed claim, HttpAnswer answer) {
    return inFlight
        .executeBlocking(() -> store.answer(claim, stored(answer)))
        .<Void>mapEmpty()
        .recover(failure -> unrecorded("record the answer", claim, failure));
  }

  private Future<Void> release(WebhookClaim.Claimed claim) {
    return inFlight
        .executeBlocking(
            () -> {
              store.release(claim);
              return null;
            })
        .<Void>mapEmpty()
        .recover(failure -> unrecorded("release", claim, failure));
  }

  /** The answer is still given; the claim then lapses with its lease. */
  private static Future<Void> unrecorded(
      String what, WebhookClaim.Claimed claim, Throwable failure) {
    LogFields.with(
        LogFields.WEBHOOK_ID,
        claim.webhookId(),
        () ->
            LOG.log(
                System.Logger.Level.WARNING,
                "Could not {0} of webhook-id ''{1}'': {2}",
                what,
                claim.webhookId(),
                failure.toString()));
    return Future.succeededFuture();
  }

  private Future<Void> later(Duration wait) {
    return vertx.timer(wait.toMillis()).mapEmpty();
  }

  private static Duration longer(Duration wait) {
    Duration doubled = wait.multipliedBy(2);
    return doubled.compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : doubled;
  }

  private static WebhookAnswer stored(HttpAnswer answer) {
    return new WebhookAnswer(answer.status(), answer.contentType(), answer.body().toString(UTF_8));
  }

  private static HttpAnswer httpAnswer(WebhookAnswer answer) {
    return new HttpAnswer(
        answer.status(), answer.contentType(), Buffer.buffer(answer.body(), "UTF-8"));
  }
}
