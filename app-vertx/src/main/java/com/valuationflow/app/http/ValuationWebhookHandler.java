package com.valuationflow.app.http;

import com.valuationflow.app.logging.LogFields;
import com.valuationflow.app.metrics.ServiceMetrics;
import com.valuationflow.app.metrics.ServiceMetrics.CallbackOutcome;
import com.valuationflow.app.metrics.ValuationTurnaround;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.WebhookFingerprint;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import com.valuationflow.domain.usecase.HandleValuationCallback.Outcome;
import com.valuationflow.domain.usecase.RequestValuation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /webhooks/valuations?correlationId=...}: the valuer's callback, {@code
 * {"valuationReference":"...","propertyValue":123000}} or {@code
 * {"valuationReference":"...","failed":true,"reason":"..."}}, resumes the waiting loan application.
 * The URL is the one we handed the valuer, correlation key included. Callbacks arrive signed (see
 * {@link WebhookSignatureHandler}); a repeated {@code webhook-id} gets its first answer again (see
 * {@link WebhookAnswers}).
 */
public final class ValuationWebhookHandler {

  public static final String PATH = "/webhooks/valuations";

  private static final Map<String, String> FIELDS =
      Map.of(
          "valuationReference", "valuationReference",
          "propertyValue", "propertyValue",
          "reason", "reason");

  private final InFlightRequests inFlight;
  private final HandleValuationCallback handleValuationCallback;
  private final WebhookAnswers webhookAnswers;
  private final ServiceMetrics metrics;
  private final ValuationTurnaround turnaround;

  /**
   * @param metrics counts callbacks by outcome and times resumes
   * @param turnaround times valuations from their request to their callback
   */
  public ValuationWebhookHandler(
      InFlightRequests inFlight,
      HandleValuationCallback handleValuationCallback,
      WebhookAnswers webhookAnswers,
      ServiceMetrics metrics,
      ValuationTurnaround turnaround) {
    this.inFlight = inFlight;
    this.handleValuationCallback = handleValuationCallback;
    this.webhookAnswers = webhookAnswers;
    this.metrics = Objects.requireNonNull(metrics, "'metrics' must not be null");
    this.turnaround = Objects.requireNonNull(turnaround, "'turnaround' must not be null");
  }

  public static ValuerCallback parse(RequestBody body) {
    body.allowOnly("", Set.of("valuationReference", "propertyValue", "failed", "reason"));
    String reference = body.text("valuationReference");
    if (body.flag("failed")) {
      body.absent("propertyValue", "must be absent when failed is true");
      String reason = body.text("reason");
      return body.build(
          FIELDS, () -> new ValuationFailure(ValuationReference.of(reference), reason));
    }
    body.absent("reason", "is only allowed when failed is true");
    BigDecimal propertyValue = body.number("propertyValue");
    return body.build(
        FIELDS, () -> new ValuationResult(ValuationReference.of(reference), propertyValue));
  }

  /** Runs after {@link WebhookSignatureHandler}, which verified the {@code webhook-id}. */
  public void handle(RoutingContext ctx) {
    String correlationId = ctx.queryParams().get(RequestValuation.CORRELATION_PARAMETER);
    Buffer body = ctx.body().buffer();
    WebhookFingerprint fingerprint =
        WebhookFingerprint.of(
            correlationId == null ? "" : correlationId,
            body == null ? new byte[0] : body.getBytes());
    webhookAnswers
        .answer(
            WebhookSignatureHandler.webhookId(ctx),
            fingerprint,
            () -> process(WebhookSignatureHandler.webhookId(ctx), correlationId, body))
        .onSuccess(answer -> answer.send(ctx))
        .onFailure(ctx::fail);
  }

  private Future<HttpAnswer> process(String webhookId, String correlationId, Buffer body) {
    ValuerCallback callback;
    try {
      callback = parse(RequestBody.parse(body));
    } catch (InvalidRequestException invalid) {
      metrics.callback(CallbackOutcome.INVALID_BODY);
      return Future.succeededFuture(HttpAnswer.of(invalid.toProblem()));
    }
    Optional<CorrelationKey> key = correlationKey(correlationId);
    if (key.isEmpty()) {
      metrics.callback(CallbackOutcome.UNKNOWN);
      return Future.succeededFuture(answer(callback.valuationReference(), Outcome.UNKNOWN));
    }
    turnaround.callbackArrived(key.get().value());
    long arrived = System.nanoTime();
    return inFlight
        .executeBlocking(
            LogFields.around(
                LogFields.WEBHOOK_ID,
                webhookId,
                () -> handleValuationCallback.handle(key.get(), callback)))
        .onSuccess(outcome -> counted(outcome, arrived))
        .map(outcome -> answer(callback.valuationReference(), outcome));
  }

  private void counted(Outcome outcome, long arrived) {
    if (outcome == Outcome.RESUMED) {
      metrics.resumeLatency(Duration.ofNanos(System.nanoTime() - arrived));
    }
    metrics.callback(CallbackOutcome.valueOf(outcome.name()));
  }

  private static Optional<CorrelationKey> correlationKey(String value) {
    try {
      return value == null ? Optional.empty() : Optional.of(CorrelationKey.of(value));
    } catch (InvalidValueException e) {
      return Optional.empty();
    }
  }

  private static HttpAnswer answer(ValuationReference reference, Outcome outcome) {
    return switch (outcome) {
      case RESUMED, DUPLICATE -> acknowledgement(200, reference, outcome);
      case HELD_UNTIL_REPLY, DUPLICATE_IN_PROGRESS -> acknowledgement(202, reference, outcome);
      case CONFLICT ->
          HttpAnswer.of(
              Problem.of(
                  409,
                  "conflicting-callback",
                  "Conflicting callback",
                  "A different result for valuation '" + reference + "' was received before"));
      case LATE ->
          HttpAnswer.of(
              Problem.of(
                  410,
                  "valuation-no-longer-awaited",
                  "Valuation no longer awaited",
                  "The loan application no longer waits for valuation '" + reference + "'"));
      case UNKNOWN ->
          HttpAnswer.of(
              Problem.of(
                  404,
                  "unknown-valuation-reference",
                  "Unknown valuation reference",
                  "No loan application waits for valuation '"
                      + reference
                      + "' under this callback URL"));
    };
  }

  private static HttpAnswer acknowledgement(
      int status, ValuationReference reference, Outcome outcome) {
    return HttpAnswer.json(status, new Acknowledgement(reference.value(), outcome.name()));
  }

  /** The body of a {@code 2xx}: what became of the callback. */
  record Acknowledgement(String valuationReference, String outcome) {}
}
