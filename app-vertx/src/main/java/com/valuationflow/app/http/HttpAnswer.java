package com.valuationflow.app.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/** A whole HTTP answer as a value, so that it can be remembered and given again. */
public record HttpAnswer(int status, String contentType, Buffer body) {

  public HttpAnswer {
    Objects.requireNonNull(contentType, "'contentType' must not be null");
    Objects.requireNonNull(body, "'body' must not be null");
  }

  public static HttpAnswer json(int status, Object value) {
    return new HttpAnswer(status, "application/json", Json.toBuffer(value));
  }

  public static HttpAnswer of(Problem problem) {
    return new HttpAnswer(problem.status(), Problem.CONTENT_TYPE, Json.toBuffer(problem));
  }

  public void send(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(body.copy());
  }
}
