package com.valuationflow.app.http;

import com.valuationflow.app.mockvaluer.MockValuerHandler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;

/** The app's routes, in one place. */
public final class ApiRouter {

  /** Request bodies are small JSON documents; anything larger is refused with {@code 413}. */
  public static final int BODY_LIMIT_BYTES = 64 * 1024;

  private ApiRouter() {}

  /**
   * Bodies are read only on the routes that take JSON, after their media type matched: a body no
   * route takes (a form, say) is never decoded.
   */
  public static void mount(
      Router router,
      LoanApplicationsHandler loanApplications,
      WebhookSignatureHandler webhookSignatures,
      ValuationWebhookHandler valuationWebhook,
      Optional<MockValuerHandler> mockValuer) {
    ProblemHandler problems = new ProblemHandler();
    BodyHandler jsonBody = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);
    router.route().handler(ApiRouter::refuseUnreadableContentType).failureHandler(problems);

    router.get("/health").handler(new HealthHandler());
    router
        .post(LoanApplicationsHandler.PATH)
        .consumes("application/json")
        .handler(jsonBody)
        .handler(loanApplications::submit);
    router
        .get(LoanApplicationsHandler.PATH + "/:applicationReference")
        .handler(loanApplications::get);
    router
        .post(ValuationWebhookHandler.PATH)
        .consumes("application/json")
        .handler(jsonBody)
        .handler(webhookSignatures)
        .handler(valuationWebhook::handle);
    mockValuer.ifPresent(
        valuer ->
            router
                .post(MockValuerHandler.PATH)
                .consumes("application/json")
                .handler(jsonBody)
                .handler(valuer::handle));

    for (int status = 400; status < 600; status++) {
      router.errorHandler(status, problems.forStatus(status));
    }
  }

  /**
   * Refuses with {@code 415} a {@code Content-Type} Vert.x cannot parse (such as {@code
   * application/json; charset="}), before a route matches on it: matching would fail with a 500.
   */
  private static void refuseUnreadableContentType(RoutingContext ctx) {
    if (ctx.request().getHeader(HttpHeaders.CONTENT_TYPE) != null) {
      try {
        MIMEHeader contentType = ctx.parsedHeaders().contentType();
        if (contentType != null) {
          contentType.subComponent();
        }
      } catch (RuntimeException unreadable) {
        ctx.fail(415);
        return;
      }
    }
    ctx.next();
  }
}
