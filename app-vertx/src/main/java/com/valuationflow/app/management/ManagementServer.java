package com.valuationflow.app.management;

import com.valuationflow.app.http.Problem;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * The management port, apart from the public API: {@code GET /metrics} in Prometheus' text format,
 * {@code GET /health/live} (the process answers) and {@code GET /health/ready} (it can take
 * traffic, see {@link Readiness}; {@code 503} when not). Nothing here is meant for the internet.
 */
public final class ManagementServer {

  public static final String METRICS_PATH = "/metrics";
  public static final String LIVE_PATH = "/health/live";
  public static final String READY_PATH = "/health/ready";

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private ManagementServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on the port (0: any free one). */
  public static Future<ManagementServer> start(
      Vertx vertx, int port, PrometheusMeterRegistry registry, Readiness readiness) {
    Objects.requireNonNull(registry, "'registry' must not be null");
    Objects.requireNonNull(readiness, "'readiness' must not be null");
    Router router = Router.router(vertx);
    router.get(METRICS_PATH).handler(ctx -> metrics(ctx, vertx, registry));
    router.get(LIVE_PATH).handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get(READY_PATH).handler(ctx -> ready(ctx, readiness));
    router.errorHandler(
        404,
        ctx -> Problem.of(404, "not-found", "Not found", "No such management resource").send(ctx));
    router.errorHandler(
        405,
        ctx ->
            Problem.of(405, "method-not-allowed", "Method not allowed", "Only GET is served")
                .send(ctx));
    return vertx.createHttpServer().requestHandler(router).listen(port).map(ManagementServer::new);
  }

  /** Scrapes off the event loop: a large registry takes a while to write out. */
  private static void metrics(RoutingContext ctx, Vertx vertx, PrometheusMeterRegistry registry) {
    vertx
        .executeBlocking(registry::scrape, false)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(text))
        .onFailure(ctx::fail);
  }

  private static void ready(RoutingContext ctx, Readiness readiness) {
    readiness
        .report()
        .onSuccess(
            report -> {
              JsonObject checks = new JsonObject();
              report
                  .checks()
                  .forEach(
                      (name, status) -> {
                        JsonObject check =
                            new JsonObject().put("status", status.equals("UP") ? "UP" : "DOWN");
                        if (!status.equals("UP")) {
                          check.put("detail", status.substring("DOWN: ".length()));
                        }
                        checks.put(name, check);
                      });
              ctx.response()
                  .setStatusCode(report.ready() ? 200 : 503)
                  .putHeader("Content-Type", "application/json")
                  .putHeader("Cache-Control", "no-store")
                  .end(
                      new JsonObject()
                          .put("status", report.ready() ? "UP" : "DOWN")
                          .put("phase", report.phase().name())
                          .put("checks", checks)
                          .encode());
            })
        .onFailure(ctx::fail);
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
