package com.valuationflow.app.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 * {@code type} is a relative URI naming the kind of problem.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type, String title, int status, String detail, List<FieldError> errors) {

  public static final String CONTENT_TYPE = "application/problem+json";

  /** One invalid field of a request body, named by its dotted path ({@code property.postcode}). */
  public record FieldError(String field, String detail) {}

  public static Problem of(int status, String type, String title, String detail) {
    return new Problem("/problems/" + type, title, status, detail, List.of());
  }

  public void send(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(Json.toBuffer(this));
  }
}
