package com.valuationflow.app.http;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import com.valuationflow.domain.usecase.HandleValuationCallback.Outcome;
import com.valuationflow.domain.usecase.RequestValuation;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /webhooks/valuations?correlationId=...}: the valuer's callback, {@code
 * {"valuationReference":"...","propertyValue":123000}} or {@code
 * {"valuationReference":"...","failed":true,"reason":"..."}}, resumes the waiting loan application.
 * The URL is the one we handed the valuer, correlation key included.
 */
public final class ValuationWebhookHandler {

  public static final String PATH = "/webhooks/valuations";

  private static final Map<String, String> FIELDS =
      Map.of(
          "valuationReference", "valuationReference",
          "propertyValue", "propertyValue",
          "reason", "reason");

  private final Vertx vertx;
  private final HandleValuationCallback handleValuationCallback;

  public ValuationWebhookHandler(Vertx vertx, HandleValuationCallback handleValuationCallback) {
    this.vertx = vertx;
    this.handleValuationCallback = handleValuationCallback;
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

  public void handle(RoutingContext ctx) {
    ValuerCallback callback = parse(RequestBody.parse(ctx.body().buffer()));
    Optional<CorrelationKey> key =
        correlationKey(ctx.queryParams().get(RequestValuation.CORRELATION_PARAMETER));
    if (key.isEmpty()) {
      respond(ctx, callback.valuationReference(), Outcome.UNKNOWN);
      return;
    }
    vertx
        .executeBlocking(() -> handleValuationCallback.handle(key.get(), callback))
        .onSuccess(outcome -> respond(ctx, callback.valuationReference(), outcome))
        .onFailure(ctx::fail);
  }

  private static Optional<CorrelationKey> correlationKey(String value) {
    try {
      return value == null ? Optional.empty() : Optional.of(CorrelationKey.of(value));
    } catch (InvalidValueException e) {
      return Optional.empty();
    }
  }

  private static void respond(RoutingContext ctx, ValuationReference reference, Outcome outcome) {
    switch (outcome) {
      case RESUMED, DUPLICATE -> accepted(ctx, 200, reference, outcome);
      case HELD_UNTIL_REPLY, DUPLICATE_IN_PROGRESS -> accepted(ctx, 202, reference, outcome);
      case CONFLICT ->
          Problem.of(
                  409,
                  "conflicting-callback",
                  "Conflicting callback",
                  "A different result for valuation '" + reference + "' was received before")
              .send(ctx);
      case LATE ->
          Problem.of(
                  410,
                  "valuation-no-longer-awaited",
                  "Valuation no longer awaited",
                  "The loan application no longer waits for valuation '" + reference + "'")
              .send(ctx);
      case UNKNOWN ->
          Problem.of(
                  404,
                  "unknown-valuation-reference",
                  "Unknown valuation reference",
                  "No loan application waits for valuation '"
                      + reference
                      + "' under this callback URL")
              .send(ctx);
    }
  }

  private static void accepted(
      RoutingContext ctx, int status, ValuationReference reference, Outcome outcome) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(Json.toBuffer(new Acknowledgement(reference.value(), outcome.name())));
  }

  /** The body of a {@code 2xx}: what became of the callback. */
  record Acknowledgement(String valuationReference, String outcome) {}
}
