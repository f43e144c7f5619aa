package com.valuationflow.app.view;

import io.vertx.ext.web.Router;

/** The view's routes, beside the API's: pages, their live stream, and their two assets. */
public final class ViewRoutes {

  static final String STYLESHEET = "/view/view.css";
  static final String SCRIPT = "/view/view.js";
  static final String ICON = "/view/favicon.svg";
  static final String APPLICATIONS = "/applications";

  private ViewRoutes() {}

  public static void mount(Router router, ViewHandler view) {
    router.get("/").handler(view::applications);
    router.get(APPLICATIONS + "/:applicationReference").handler(view::application);
    router.get(APPLICATIONS + "/:applicationReference/summary").handler(view::summary);
    router.get(APPLICATIONS + "/:applicationReference/events").handler(view::events);
    router.get(STYLESHEET).handler(view::asset);
    router.get(SCRIPT).handler(view::asset);
    router.get(ICON).handler(view::asset);
  }

  static String applicationPath(String reference) {
    return APPLICATIONS
        + "/"
        + java.net.URLEncoder.encode(reference, java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20");
  }
}
