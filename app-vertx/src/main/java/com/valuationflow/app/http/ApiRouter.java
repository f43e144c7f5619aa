package com.valuationflow.app.http;

import com.valuationflow.app.mockvaluer.MockValuerHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;

/** The app's routes, in one place. */
public final class ApiRouter {

  /** Request bodies are small JSON documents; anything larger is refused with {@code 413}. */
  public static final int BODY_LIMIT_BYTES = 64 * 1024;

  private ApiRouter() {}

  public static void mount(
      Router router,
      LoanApplicationsHandler loanApplications,
      WebhookSignatureHandler webhookSignatures,
      ValuationWebhookHandler valuationWebhook,
      Optional<MockValuerHandler> mockValuer) {
    ProblemHandler problems = new ProblemHandler();
    router
        .route()
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
        .failureHandler(problems);

    router.get("/health").handler(new HealthHandler());
    router
        .post(LoanApplicationsHandler.PATH)
        .consumes("application/json")
        .handler(loanApplications::submit);
    router
        .get(LoanApplicationsHandler.PATH + "/:applicationReference")
        .handler(loanApplications::get);
    router
        .post(ValuationWebhookHandler.PATH)
        .consumes("application/json")
        .handler(webhookSignatures)
        .handler(valuationWebhook::handle);
    mockValuer.ifPresent(
        valuer ->
            router
                .post(MockValuerHandler.PATH)
                .consumes("application/json")
                .handler(valuer::handle));

    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, problems);
    }
  }
}
