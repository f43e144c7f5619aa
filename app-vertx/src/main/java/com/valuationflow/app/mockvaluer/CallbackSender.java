package com.valuationflow.app.mockvaluer;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.http.Json;
import com.valuationflow.app.metrics.ServiceMetrics;
import com.valuationflow.app.webhook.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the mock valuer's callbacks, signed the Standard Webhooks way, and tries again on the
 * {@link RetrySchedule} while the webhook cannot take them: no connection, no answer within the
 * attempt timeout, {@code 408}, {@code 429} or {@code 5xx}. Any other answer ends the delivery.
 * Every attempt of one message carries its {@code webhook-id}, signed afresh with the time of the
 * attempt.
 */
public final class CallbackSender implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(CallbackSender.class.getName());

  private final Vertx vertx;
  private final WebClient webClient;
  private final WebhookSigner signer;
  private final RetrySchedule schedule;
  private final Duration attemptTimeout;
  private final ServiceMetrics metrics;
  private volatile boolean closed;

  /**
   * @param schedule when to try again, and when to give up
   * @param attemptTimeout how long one attempt may wait for the webhook's answer
   */
  public CallbackSender(
      Vertx vertx,
      WebClient webClient,
      WebhookSigner signer,
      RetrySchedule schedule,
      Duration attemptTimeout) {
    this(vertx, webClient, signer, schedule, attemptTimeout, ServiceMetrics.discarding());
  }

  /** As the other constructor, counting attempts, retries and deliveries in the metrics. */
  public CallbackSender(
      Vertx vertx,
      WebClient webClient,
      WebhookSigner signer,
      RetrySchedule schedule,
      Duration attemptTimeout,
      ServiceMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "'metrics' must not be null");
    this.vertx = Objects.requireNonNull(vertx, "'vertx' must not be null");
    this.webClient = Objects.requireNonNull(webClient, "'webClient' must not be null");
    this.signer = Objects.requireNonNull(signer, "'signer' must not be null");
    this.schedule = Objects.requireNonNull(schedule, "'schedule' must not be null");
    this.attemptTimeout =
        Objects.requireNonNull(attemptTimeout, "'attemptTimeout' must not be null");
  }

  /** One callback: where it goes, its {@code webhook-id} and its body, fields in order. */
  public record Message(URI url, String id, Map<String, Object> body) {

    public Message {
      Objects.requireNonNull(url, "'url' must not be null");
      Objects.requireNonNull(id, "'id' must not be null");
      body =
          Collections.unmodifiableMap(
              new LinkedHashMap<>(Objects.requireNonNull(body, "'body' must not be null")));
    }

    /** A new message, with a new id. */
    public static Message of(URI url, Map<String, Object> body) {
      return new Message(url, WebhookSigner.newMessageId(), body);
    }

    Object reference() {
      return body.get("valuationReference");
    }
  }

  /**
   * What one attempt came to.
   *
   * @param number the attempt's number, counting from 1
   * @param status the webhook's HTTP status; 0 when there was no answer
   * @param answer the webhook's {@code outcome} or problem {@code type}, or why there was no answer
   */
  public record Attempt(int number, int status, String answer) {

    /** Whether the webhook took it: a {@code 2xx}. */
    public boolean delivered() {
      return status >= 200 && status < 300;
    }

    /** Whether trying again may succeed: no answer, {@code 408}, {@code 429} or {@code 5xx}. */
    public boolean worthRetrying() {
      return status == 0 || status == 408 || status == 429 || status >= 500;
    }
  }

  /** Delivers the message, trying again as the schedule allows; the last attempt made. */
  public Future<Attempt> deliver(Message message) {
    return firstAttempt(message).compose(first -> retryAfter(message, first));
  }

  /** The first attempt only: {@link #retryAfter} carries on from it. */
  public Future<Attempt> firstAttempt(Message message) {
    return attempt(message, 1);
  }

  /** Tries again after {@code last} if it is worth it and the schedule allows; the last attempt. */
  public Future<Attempt> retryAfter(Message message, Attempt last) {
    if (!last.worthRetrying()) {
      metrics.mockValuerDelivery(last.delivered() ? "delivered" : "refused");
      return Future.succeededFuture(last);
    }
    if (closed || !schedule.allowsAnotherAfter(last.number())) {
      metrics.mockValuerDelivery("gave_up");
      LOG.log(
          System.Logger.Level.WARNING,
          "Mock valuer gave up delivering {0} for {1} after {2} attempt(s){3}: {4}",
          message.id(),
          message.reference(),
          last.number(),
          closed ? ", shutting down" : "",
          describe(last));
      return Future.succeededFuture(last);
    }
    Duration wait = schedule.delayAfter(last.number(), ThreadLocalRandom.current());
    LOG.log(
        System.Logger.Level.WARNING,
        "Mock valuer attempt {0} of {1} to deliver {2} for {3} failed: {4}; next in {5} ms",
        last.number(),
        schedule.attempts(),
        message.id(),
        message.reference(),
        describe(last),
        Long.toString(wait.toMillis()));
    return vertx
        .timer(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS)
        .compose(
            fired -> closed ? Future.succeededFuture(last) : attempt(message, last.number() + 1))
        .compose(next -> retryAfter(message, next));
  }

  /** One attempt, signed when it is sent; never fails, an unanswered attempt has status 0. */
  private Future<Attempt> attempt(Message message, int number) {
    Buffer payload = Json.toBuffer(message.body());
    HttpRequest<Buffer> request =
        webClient
            .postAbs(message.url().toString())
            .timeout(attemptTimeout.toMillis())
            .putHeader("Content-Type", "application/json");
    signer.headers(message.id(), payload.getBytes()).forEach(request::putHeader);
    return request
        .sendBuffer(payload)
        .map(response -> new Attempt(number, response.statusCode(), answerOf(response)))
        .otherwise(
            failure ->
                new Attempt(
                    number,
                    0,
                    Objects.toString(failure.getMessage(), failure.getClass().getSimpleName())))
        .onSuccess(
            attempt -> {
              metrics.mockValuerAttempt(
                  attempt.delivered()
                      ? "delivered"
                      : attempt.worthRetrying() ? "retryable" : "refused",
                  attempt.number() > 1);
              if (!attempt.worthRetrying()) {
                LOG.log(
                    System.Logger.Level.DEBUG,
                    "Mock valuer delivered {0} for {1}: HTTP {2} {3}{4}",
                    message.id(),
                    message.reference(),
                    attempt.status(),
                    attempt.answer(),
                    attempt.delivered() ? "" : " (final, not retried)");
              }
            });
  }

  private static String describe(Attempt attempt) {
    return attempt.status() == 0
        ? attempt.answer()
        : ("HTTP " + attempt.status() + " " + attempt.answer()).strip();
  }

  /** The webhook's {@code outcome}, or its problem {@code type}. */
  private static String answerOf(HttpResponse<Buffer> response) {
    Buffer body = response.bodyAsBuffer();
    if (body == null || body.length() == 0) {
      return "";
    }
    try {
      JsonNode answer = Json.parse(body);
      return answer.path("outcome").asText(answer.path("type").asText(""));
    } catch (IOException e) {
      return "";
    }
  }

  /** Starts no further attempts; deliveries under way give up at their next retry. */
  @Override
  public void close() {
    closed = true;
  }
}
