package com.valuationflow.app.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** The request's path as the router matches routes: percent-decoded and with dot segments gone. */
public final class RequestPaths {

  private RequestPaths() {}

  /**
   * The normalized path; empty, with the request failed {@code 400}, when the path cannot be
   * normalized (a broken percent-escape such as {@code /loan-applications/%}).
   */
  public static Optional<String> normalized(RoutingContext ctx) {
    try {
      return Optional.of(ctx.normalizedPath());
    } catch (RuntimeException malformed) {
      ctx.fail(400);
      return Optional.empty();
    }
  }
}
