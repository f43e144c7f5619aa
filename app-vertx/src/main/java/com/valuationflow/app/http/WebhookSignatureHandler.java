package com.valuationflow.app.http;

import com.valuationflow.app.metrics.ServiceMetrics;
import com.valuationflow.app.metrics.ServiceMetrics.CallbackOutcome;
import com.valuationflow.app.webhook.StandardWebhooks;
import com.valuationflow.app.webhook.WebhookRejectedException;
import com.valuationflow.app.webhook.WebhookVerifier;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * Lets through only callbacks signed the Standard Webhooks way: anything else gets a {@code 401}
 * problem, {@code /problems/invalid-signature} or {@code /problems/stale-timestamp}. Passes the
 * verified {@code webhook-id} on to the next handler.
 */
public final class WebhookSignatureHandler implements Handler<RoutingContext> {

  private static final System.Logger LOG =
      System.getLogger(WebhookSignatureHandler.class.getName());
  private static final String WEBHOOK_ID = WebhookSignatureHandler.class.getName() + ".webhookId";

  private final WebhookVerifier verifier;
  private final ServiceMetrics metrics;

  /**
   * @param metrics counts the callbacks refused here
   */
  public WebhookSignatureHandler(WebhookVerifier verifier, ServiceMetrics metrics) {
    this.verifier = Objects.requireNonNull(verifier, "'verifier' must not be null");
    this.metrics = Objects.requireNonNull(metrics, "'metrics' must not be null");
  }

  /** The verified {@code webhook-id} of the request this handler let through. */
  public static String webhookId(RoutingContext ctx) {
    return Objects.requireNonNull(
        ctx.get(WEBHOOK_ID), "no verified webhook-id: the signature handler must come first");
  }

  @Override
  public void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    try {
      ctx.put(
          WEBHOOK_ID,
          verifier.verify(
              ctx.request().getHeader(StandardWebhooks.ID),
              ctx.request().getHeader(StandardWebhooks.TIMESTAMP),
              ctx.request().getHeader(StandardWebhooks.SIGNATURE),
              body == null ? new byte[0] : body.getBytes()));
    } catch (WebhookRejectedException rejected) {
      LOG.log(System.Logger.Level.WARNING, "Refused a callback: {0}", rejected.getMessage());
      metrics.callback(CallbackOutcome.valueOf(rejected.reason().name()));
      problem(rejected).send(ctx);
      return;
    }
    ctx.next();
  }

  private static Problem problem(WebhookRejectedException rejected) {
    return switch (rejected.reason()) {
      case INVALID_SIGNATURE ->
          Problem.of(401, "invalid-signature", "Invalid signature", rejected.getMessage());
      case STALE_TIMESTAMP ->
          Problem.of(401, "stale-timestamp", "Stale timestamp", rejected.getMessage());
    };
  }
}
