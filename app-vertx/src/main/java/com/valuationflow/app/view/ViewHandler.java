package com.valuationflow.app.view;

import com.valuationflow.app.http.InFlightRequests;
import com.valuationflow.app.http.Problem;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.model.WorkflowExecution;
import com.valuationflow.domain.port.WorkflowExecutions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The execution view: the list of loan applications ({@code /}), one application's page, its
 * summary fragment and its live event stream. Every page forbids anything not from this app
 * (Content-Security-Policy {@code default-src 'self'}) and every value on it is escaped.
 */
public final class ViewHandler {

  /** No inline script or style, nothing from elsewhere, no framing. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private static final Map<String, String> ASSET_TYPES =
      Map.of(
          ViewRoutes.STYLESHEET, "text/css; charset=utf-8",
          ViewRoutes.SCRIPT, "text/javascript; charset=utf-8",
          ViewRoutes.ICON, "image/svg+xml");

  private final InFlightRequests inFlight;
  private final WorkflowExecutions executions;
  private final ApplicationsPage applicationsPage;
  private final ExecutionEventStreams streams;
  private final Duration secondLength;
  private final Clock clock;
  private final Map<String, Buffer> assets;
  private volatile ApplicationPage applicationPage;

  /**
   * @param scenarios the mock valuer's scenarios to offer, empty when it does not serve
   * @param secondLength how long a second of the definition's timeouts lasts
   * @param pollInterval how often a live stream reads the history
   * @param maxStreams how many live streams may be open at once
   */
  public ViewHandler(
      Vertx vertx,
      InFlightRequests inFlight,
      WorkflowExecutions executions,
      List<Map.Entry<String, String>> scenarios,
      Duration secondLength,
      Duration pollInterval,
      int maxStreams,
      Clock clock) {
    this.inFlight = inFlight;
    this.executions = executions;
    this.secondLength = secondLength;
    this.clock = clock;
    this.applicationsPage =
        new ApplicationsPage(
            scenarios.stream()
                .map(s -> new ApplicationsPage.Scenario(s.getKey(), s.getValue()))
                .toList(),
            clock);
    this.streams = new ExecutionEventStreams(vertx, executions, pollInterval, maxStreams);
    this.assets =
        Map.of(
            ViewRoutes.STYLESHEET,
            resource("view.css"),
            ViewRoutes.SCRIPT,
            resource("view.js"),
            ViewRoutes.ICON,
            resource("favicon.svg"));
    inFlight.whenDraining(streams::closeAll);
  }

  void applications(RoutingContext ctx) {
    Optional<ExecutionStatus> status;
    try {
      status = Optional.ofNullable(ctx.request().getParam("status")).map(ExecutionStatus::valueOf);
    } catch (IllegalArgumentException e) {
      Problem.of(
              400,
              "invalid-status",
              "Invalid status",
              "'status' must be one of " + Arrays.toString(ExecutionStatus.values()))
          .send(ctx);
      return;
    }
    Optional<String> pageToken =
        Optional.ofNullable(ctx.request().getParam("page")).filter(page -> !page.isBlank());
    html(
        ctx,
        inFlight.executeBlocking(
            () ->
                Optional.of(
                    applicationsPage.render(
                        executions.list(status, ApplicationsPage.PAGE_SIZE, pageToken),
                        status,
                        pageToken))));
  }

  void application(RoutingContext ctx) {
    int historyPage = historyPage(ctx.request().getParam("historyPage"));
    withExecution(ctx, (page, execution) -> page.render(execution, historyPage));
  }

  void summary(RoutingContext ctx) {
    withExecution(ctx, ApplicationPage::summary);
  }

  void events(RoutingContext ctx) {
    Optional<ApplicationReference> reference = reference(ctx);
    if (reference.isEmpty()) {
      notFound(ctx);
      return;
    }
    streams.handle(ctx, reference.get());
  }

  void asset(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    ctx.response()
        .putHeader("Content-Type", ASSET_TYPES.get(path))
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(assets.get(path));
  }

  private void withExecution(
      RoutingContext ctx,
      java.util.function.BiFunction<ApplicationPage, WorkflowExecution, String> render) {
    Optional<ApplicationReference> reference = reference(ctx);
    if (reference.isEmpty()) {
      notFound(ctx);
      return;
    }
    html(
        ctx,
        inFlight.executeBlocking(
            () -> {
              Optional<WorkflowExecution> execution = executions.find(reference.get());
              return execution.map(found -> render.apply(page(), found));
            }));
  }

  /** The page renderer, with the definition read once (from the engine or Step Functions). */
  private ApplicationPage page() {
    ApplicationPage page = applicationPage;
    if (page == null) {
      page =
          new ApplicationPage(
              StateMachineGraph.parse(executions.definition()), secondLength, clock);
      applicationPage = page;
    }
    return page;
  }

  private static void html(RoutingContext ctx, Future<Optional<String>> page) {
    page.onSuccess(
            html -> {
              if (html.isEmpty()) {
                notFound(ctx);
                return;
              }
              secured(ctx)
                  .putHeader("Content-Type", "text/html; charset=utf-8")
                  .putHeader("Cache-Control", "no-store")
                  .end(html.get());
            })
        .onFailure(ctx::fail);
  }

  private static io.vertx.core.http.HttpServerResponse secured(RoutingContext ctx) {
    return ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
  }

  private static Optional<ApplicationReference> reference(RoutingContext ctx) {
    try {
      return Optional.of(ApplicationReference.of(ctx.pathParam("applicationReference")));
    } catch (InvalidValueException e) {
      return Optional.empty();
    }
  }

  private static void notFound(RoutingContext ctx) {
    Problem.of(
            404,
            "unknown-loan-application",
            "Unknown loan application",
            "No loan application with this reference")
        .send(ctx);
  }

  private static int historyPage(String text) {
    return text != null && text.matches("\\d{1,6}") ? Integer.parseInt(text) : 0;
  }

  private static Buffer resource(String name) {
    try (InputStream in = ViewHandler.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing classpath resource " + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
