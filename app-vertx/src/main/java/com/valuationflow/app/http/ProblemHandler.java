package com.valuationflow.app.http;

import com.valuationflow.domain.port.ServiceUnavailableException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * Turns every failure into an {@code application/problem+json} response: invalid requests into
 * {@code 400}s naming the fields, HTTP errors into their status, anything unexpected into a {@code
 * 500} that gives nothing away (the stack trace goes to the log only).
 */
public final class ProblemHandler implements Handler<RoutingContext> {

  private static final System.Logger LOG = System.getLogger(ProblemHandler.class.getName());

  @Override
  public void handle(RoutingContext ctx) {
    problemFor(ctx).send(ctx);
  }

  private static Problem problemFor(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof InvalidRequestException invalid) {
      return invalid.toProblem();
    }
    if (failure instanceof ServiceUnavailableException unavailable) {
      LOG.log(System.Logger.Level.WARNING, "Service unavailable: {0}", unavailable.getMessage());
      return Problem.of(
          503,
          "service-unavailable",
          "Service unavailable",
          "A service the app depends on is unavailable; try again later");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
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
      case 400 -> Problem.of(400, "bad-request", "Bad request", "The request is malformed");
      default -> {
        LOG.log(
            System.Logger.Level.ERROR,
            "Unexpected failure on " + ctx.request().method() + " " + ctx.request().path(),
            failure);
        yield Problem.of(
            500, "internal-error", "Internal error", "The request could not be processed");
      }
    };
  }
}
