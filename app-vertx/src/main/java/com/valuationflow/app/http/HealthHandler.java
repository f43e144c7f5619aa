package com.valuationflow.app.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /health}: answers {@code 200 {"status":"UP"}} while the app serves requests. */
public final class HealthHandler implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }
}
