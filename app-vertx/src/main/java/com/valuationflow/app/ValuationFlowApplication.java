package com.valuationflow.app;

import com.valuationflow.app.http.ApiRouter;
import com.valuationflow.app.http.LoanApplicationsHandler;
import com.valuationflow.app.http.ValuationWebhookHandler;
import com.valuationflow.app.mockvaluer.MockValuerHandler;
import com.valuationflow.app.valuer.HttpValuer;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.domain.usecase.GetLoanApplication;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.domain.usecase.SubmitLoanApplication;
import com.valuationflow.inmemory.InMemoryTaskTokenStore;
import com.valuationflow.inmemory.InMemoryWorkflowExecutions;
import com.valuationflow.inmemory.InMemoryWorkflowResumer;
import com.valuationflow.inmemory.InMemoryWorkflowStarter;
import com.valuationflow.inmemory.RequestValuationTaskHandler;
import com.valuationflow.inmemory.workflow.ClosedTask;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The composition root: builds the adapters the configuration asks for, the use cases over them,
 * and the HTTP routes over those.
 */
public final class ValuationFlowApplication {

  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final HttpServer server;
  private final WebClient webClient;
  private final WorkflowEngine engine;

  private ValuationFlowApplication(HttpServer server, WebClient webClient, WorkflowEngine engine) {
    this.server = server;
    this.webClient = webClient;
    this.engine = engine;
  }

  /**
   * Listens first, so that the callback and mock-valuer URLs can name the actual port (the
   * configured one may be 0), then mounts the routes.
   */
  public static Future<ValuationFlowApplication> start(Vertx vertx, AppConfig config) {
    Router router = Router.router(vertx);
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(config.port())
        .map(server -> wire(vertx, config, router, server));
  }

  private static ValuationFlowApplication wire(
      Vertx vertx, AppConfig config, Router router, HttpServer server) {
    int port = server.actualPort();
    Clock clock = Clock.systemUTC();
    WebClient webClient = WebClient.create(vertx);

    WorkflowEngine engine =
        WorkflowEngine.builder(StateMachineDefinition.parse(LoanProcessorDefinition.load()))
            .clock(clock)
            .secondLength(config.secondLength())
            .stateMachineName("LoanProcessor")
            .build();
    InMemoryTaskTokenStore taskTokenStore = new InMemoryTaskTokenStore(clock);
    engine.addTaskTokenListener(
        closed -> {
          if (closed.reason() == ClosedTask.Reason.TIMED_OUT
              || closed.reason() == ClosedTask.Reason.EXECUTION_ENDED) {
            taskTokenStore.expire(CorrelationKey.forTask(closed.token()));
          }
        });
    WorkflowResumer workflowResumer = new InMemoryWorkflowResumer(engine);

    RequestValuation requestValuation =
        new RequestValuation(
            new HttpValuer(webClient, config.effectiveValuerUrl(port), config.valuerTimeout()),
            taskTokenStore,
            workflowResumer,
            config.callbackUrl(port),
            clock);
    engine.registerFunction(
        LoanProcessorDefinition.REQUEST_VALUATION_FUNCTION,
        new RequestValuationTaskHandler(requestValuation));

    ApiRouter.mount(
        router,
        new LoanApplicationsHandler(
            vertx,
            new SubmitLoanApplication(
                new InMemoryWorkflowStarter(engine), config.valuationTimeout()),
            new GetLoanApplication(new InMemoryWorkflowExecutions(engine))),
        new ValuationWebhookHandler(
            vertx, new HandleValuationCallback(taskTokenStore, workflowResumer)),
        new MockValuerHandler(
            vertx, webClient, config.valuerDelay(), config.realValuationTimeout()));
    return new ValuationFlowApplication(server, webClient, engine);
  }

  public int port() {
    return server.actualPort();
  }

  /** Stops taking requests, lets those in flight finish, then stops the engine. */
  public Future<Void> stop() {
    return server
        .shutdown(SHUTDOWN_GRACE)
        .onComplete(
            stopped -> {
              webClient.close();
              engine.close();
            });
  }
}
