package com.valuationflow.app.view;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The view's routes, beside the API's: pages, their live stream, and their two assets. */
public final class ViewRoutes {

  static final String STYLESHEET = "/view/view.css";
  static final String SCRIPT = "/view/view.js";
  static final String ICON = "/view/favicon.svg";
  static final String APPLICATIONS = "/applications";

  private ViewRoutes() {}

  /**
   * Each route answers its own path only, as sent: not one that normalizes to it ({@code
   * /loan-applications/..} is not {@code /}), which stays the API's {@code 404}.
   */
  public static void mount(Router router, ViewHandler view) {
    get(router, "/", view::applications);
    get(router, APPLICATIONS + "/:applicationReference", view::application);
    get(router, APPLICATIONS + "/:applicationReference/summary", view::summary);
    get(router, APPLICATIONS + "/:applicationReference/events", view::events);
    get(router, STYLESHEET, view::asset);
    get(router, SCRIPT, view::asset);
    get(router, ICON, view::asset);
  }

  private static void get(Router router, String path, Handler<RoutingContext> handler) {
    router.get(path).handler(ViewRoutes::asSent).handler(handler);
  }

  private static void asSent(RoutingContext ctx) {
    if (ctx.request().path().equals(ctx.normalizedPath())) {
      ctx.next();
    } else {
      ctx.fail(404);
    }
  }

  static String applicationPath(String reference) {
    return APPLICATIONS
        + "/"
        + java.net.URLEncoder.encode(reference, java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20");
  }
}
