package com.valuationflow.app.http;

import com.valuationflow.domain.port.CallHeldBackException;
import com.valuationflow.domain.port.ServiceUnavailableException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Locale;

/**
 * Turns every failure into an {@code application/problem+json} response: invalid requests into
 * {@code 400}s naming the fields, HTTP errors into their status, anything unexpected into a {@code
 * 500} that gives nothing away (the stack trace goes to the log only).
 */
public final class ProblemHandler implements Handler<RoutingContext> {

  private static final System.Logger LOG = System.getLogger(ProblemHandler.class.getName());

  @Override
  public void handle(RoutingContext ctx) {
    retryAfter(ctx);
    problemFor(ctx, ctx.statusCode()).send(ctx);
  }

  /**
   * When the failure says when to try again: {@code Retry-After}, in whole seconds (at least 1).
   */
  private static void retryAfter(RoutingContext ctx) {
    if (ctx.failure() instanceof ServiceUnavailableException unavailable) {
      unavailable
          .retryAfter()
          .ifPresent(
              wait ->
                  ctx.response()
                      .putHeader(
                          "Retry-After",
                          Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))));
    }
  }

  /**
   * The router's error handler for {@code status}: the router calls it without putting the status
   * on the context when a request fails before any route takes it (say, a path parameter that is
   * not valid percent-encoding).
   */
  public Handler<RoutingContext> forStatus(int status) {
    return ctx -> problemFor(ctx, ctx.statusCode() == -1 ? status : ctx.statusCode()).send(ctx);
  }

  /**
   * Answers a request the HTTP server could not parse ({@code 414} for too long a request line,
   * {@code 431} for too large headers, {@code 400} otherwise), then closes the connection, as the
   * server's default does.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status =
        cause instanceof TooLongHttpLineException
            ? 414
            : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    Problem problem = status == 400 ? badRequest() : httpError(status);
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", Problem.CONTENT_TYPE)
        .putHeader("Connection", "close")
        .end(Json.toBuffer(problem))
        .onComplete(sent -> request.connection().close());
  }

  private static Problem problemFor(RoutingContext ctx, int statusCode) {
    Throwable failure = ctx.failure();
    if (failure instanceof InvalidRequestException invalid) {
      return invalid.toProblem();
    }
    if (failure instanceof ServiceUnavailableException unavailable) {
      LOG.log(
          failure instanceof CallHeldBackException
              ? System.Logger.Level.DEBUG
              : System.Logger.Level.WARNING,
          "Service unavailable: {0}",
          unavailable.getMessage());
      return Problem.of(
          503,
          "service-unavailable",
          "Service unavailable",
          "A service the app depends on is unavailable; try again later");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : statusCode;
    return switch (status) {
      case 404 ->
          Problem.of(404, "not-found", "Not found", "No resource at " + ctx.request().path());
      case 405 ->
          Problem.of(
              405,
              "method-not-allowed",
              "Method not allowed",
              ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413 ->
          Problem.of(
              413, "payload-too-large", "Payload too large", "The request body is too large");
      case 415 ->
          Problem.of(
              415,
              "unsupported-media-type",
              "Unsupported media type",
              "The request body must be application/json");
      case 400 -> badRequest();
      default -> {
        if (status >= 400 && status < 500) {
          yield httpError(status);
        }
        LOG.log(
            System.Logger.Level.ERROR,
            "Unexpected failure on " + ctx.request().method() + " " + ctx.request().path(),
            failure);
        yield Problem.of(
            500, "internal-error", "Internal error", "The request could not be processed");
      }
    };
  }

  private static Problem badRequest() {
    return Problem.of(400, "bad-request", "Bad request", "The request is malformed");
  }

  /** Any other client error, named after its reason phrase ({@code 417 expectation-failed}). */
  private static Problem httpError(int status) {
    String title = HttpResponseStatus.valueOf(status).reasonPhrase();
    return Problem.of(
        status,
        title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", ""),
        title,
        "The request cannot be answered: " + title);
  }
}
