package com.valuationflow.app.mockvaluer;

import com.valuationflow.app.http.InvalidRequestException;
import com.valuationflow.app.http.Json;
import com.valuationflow.app.http.Problem;
import com.valuationflow.app.http.RequestBody;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.model.Property;
import com.valuationflow.domain.model.ValuationRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * A stand-in for a third-party valuer, {@code POST /valuer/valuations}: takes {@code
 * {"property":{...},"callbackUrl":"..."}}, answers {@code 202 {"valuationReference":"..."}} at
 * once, and after the configured delay calls the callback URL with {@code
 * {"valuationReference":"...","propertyValue":...}}, signed the Standard Webhooks way and retried
 * while the webhook cannot take it (see {@link CallbackSender}). Reserved names of the property
 * select the other behaviours of real valuers: see {@link Scenario}. It honours {@code
 * Idempotency-Key} (see {@link IdempotentRequests}). It calls only URLs on its allow-list, so that
 * it cannot be made to reach other hosts.
 */
public final class MockValuerHandler {

  public static final String PATH = "/valuer/valuations";

  static final String FAILURE_REASON = "The valuer could not access the property";

  /** How much later than the loan processor's reply timeout a slow reply comes. */
  static final Duration SLOW_REPLY_MARGIN = Duration.ofMillis(500);

  private static final String IDEMPOTENCY_KEY_HEADER = ValuationRequest.IDEMPOTENCY_KEY_HEADER;

  private static final System.Logger LOG = System.getLogger(MockValuerHandler.class.getName());
  private static final Map<String, String> FIELDS =
      Map.of("nameOrNumber", "property.nameOrNumber", "postcode", "property.postcode");

  private final Vertx vertx;
  private final CallbackSender callbacks;
  private final CallbackAllowlist allowlist;
  private final Duration delay;
  private final Duration valuationTimeout;
  private final Duration valuerTimeout;
  private final IdempotentRequests idempotent;

  /**
   * @param callbacks signs and delivers every callback, retrying while the webhook cannot take it
   * @param allowlist the callback URLs it may call
   * @param delay how long a valuation takes before the callback
   * @param valuationTimeout how long the loan processor waits; a late callback comes after it
   * @param valuerTimeout how long the loan processor waits for a reply; a slow reply comes after it
   */
  public MockValuerHandler(
      Vertx vertx,
      CallbackSender callbacks,
      CallbackAllowlist allowlist,
      Duration delay,
      Duration valuationTimeout,
      Duration valuerTimeout,
      Clock clock) {
    this.vertx = vertx;
    this.callbacks = callbacks;
    this.allowlist = allowlist;
    this.delay = delay;
    this.valuationTimeout = valuationTimeout;
    this.valuerTimeout = valuerTimeout;
    this.idempotent = new IdempotentRequests(clock);
  }

  /** A valuation request as the mock valuer reads it. */
  record Request(Property property, URI callbackUrl) {}

  static Request parse(RequestBody body) {
    body.allowOnly("", Set.of("property", "callbackUrl"))
        .allowOnly("property", Set.of("nameOrNumber", "postcode"));
    String nameOrNumber = body.text("property.nameOrNumber");
    String postcode = body.text("property.postcode");
    String callbackUrl = body.text("callbackUrl");
    return body.build(
        FIELDS,
        () -> new Request(Property.of(nameOrNumber, postcode), parseCallbackUrl(callbackUrl)));
  }

  private static URI parseCallbackUrl(String text) {
    try {
      URI uri = new URI(text);
      if (uri.isAbsolute()
          && uri.getHost() != null
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below, like any other unusable URL
    }
    throw new InvalidValueException("callbackUrl", "'callbackUrl' must be an absolute http(s) URL");
  }

  public void handle(RoutingContext ctx) {
    Request request = parse(RequestBody.parse(ctx.body().buffer()));
    if (!allowlist.allows(request.callbackUrl())) {
      throw InvalidRequestException.of(
          "callbackUrl", "is not on the mock valuer's allow-list (MOCK_VALUER_CALLBACK_ALLOWLIST)");
    }
    Scenario scenario = Scenario.of(request.property());
    if (scenario == Scenario.UNAVAILABLE) {
      Problem.of(503, "valuer-unavailable", "Valuer unavailable", "Try again later").send(ctx);
      return;
    }
    String reference = "val-" + UUID.randomUUID();
    String idempotencyKey = ctx.request().getHeader(IDEMPOTENCY_KEY_HEADER);
    if (idempotencyKey != null) {
      if (!IdempotentRequests.isValidKey(idempotencyKey)) {
        throw InvalidRequestException.of(
            "Idempotency-Key", "must be 1 to 255 visible ASCII characters");
      }
      IdempotentRequests.Verdict verdict = idempotent.admit(idempotencyKey, request, reference);
      if (verdict instanceof IdempotentRequests.Repeat repeat) {
        reply(ctx, repeat.reference());
        return;
      }
      if (verdict instanceof IdempotentRequests.Reused) {
        Problem.of(
                422,
                "idempotency-key-reused",
                "Idempotency key reused",
                "This Idempotency-Key came before with another request")
            .send(ctx);
        return;
      }
    }
    if (scenario == Scenario.SLOW_REPLY) {
      scheduleCallbacks(scenario, request, reference);
      after(valuerTimeout.plus(SLOW_REPLY_MARGIN), () -> reply(ctx, reference));
      return;
    }
    if (scenario == Scenario.EARLY_CALLBACK) {
      CallbackSender.Message message =
          CallbackSender.Message.of(request.callbackUrl(), valuation(request, reference));
      Future<CallbackSender.Attempt> first = callbacks.firstAttempt(message);
      first.onComplete(called -> reply(ctx, reference));
      first.compose(attempt -> callbacks.retryAfter(message, attempt));
      return;
    }
    reply(ctx, reference).onSuccess(sent -> scheduleCallbacks(scenario, request, reference));
  }

  private static Future<Void> reply(RoutingContext ctx, String reference) {
    if (ctx.response().closed() || ctx.response().ended()) {
      return Future.succeededFuture();
    }
    return ctx.response()
        .setStatusCode(202)
        .putHeader("Content-Type", "application/json")
        .end(Json.toBuffer(Map.of("valuationReference", reference)));
  }

  private void scheduleCallbacks(Scenario scenario, Request request, String reference) {
    URI url = request.callbackUrl();
    switch (scenario) {
      case NO_CALLBACK ->
          LOG.log(System.Logger.Level.INFO, "Mock valuer: no callback for {0}", reference);
      case LATE_CALLBACK ->
          after(valuationTimeout.plus(delay), () -> deliver(url, valuation(request, reference)));
      case UNKNOWN_REFERENCE ->
          after(delay, () -> deliver(url, valuation(request, "val-unknown-" + UUID.randomUUID())));
      case FAILED_RESPONSE -> after(delay, () -> deliver(url, failure(reference)));
      case DUPLICATE_RESPONSE ->
          after(
              delay,
              () -> {
                CallbackSender.Message message =
                    CallbackSender.Message.of(url, valuation(request, reference));
                IntStream.range(0, 3).forEach(copy -> callbacks.deliver(message));
              });
      default -> after(delay, () -> deliver(url, valuation(request, reference)));
    }
  }

  private void after(Duration wait, Runnable action) {
    vertx.setTimer(Math.max(1, wait.toMillis()), timer -> action.run());
  }

  private static Map<String, Object> valuation(Request request, String reference) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("valuationReference", reference);
    body.put("propertyValue", MockValuations.valueOf(request.property()));
    return body;
  }

  private static Map<String, Object> failure(String reference) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("valuationReference", reference);
    body.put("failed", true);
    body.put("reason", FAILURE_REASON);
    return body;
  }

  /** Delivers a new message, retrying as the sender's schedule allows. */
  private Future<CallbackSender.Attempt> deliver(URI callbackUrl, Map<String, Object> body) {
    return callbacks.deliver(CallbackSender.Message.of(callbackUrl, body));
  }
}
