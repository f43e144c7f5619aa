package com.valuationflow.app.http;

import java.util.List;
import java.util.stream.Collectors;

/** A request body that cannot be accepted; becomes a {@code 400} problem naming the fields. */
public final class InvalidRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<Problem.FieldError> errors;

  public InvalidRequestException(List<Problem.FieldError> errors) {
    super(
        errors.stream()
            .map(
                error ->
                    error.field().isEmpty() ? error.detail() : error.field() + " " + error.detail())
            .collect(Collectors.joining("; ")),
        null,
        false,
        false);
    this.errors = List.copyOf(errors);
  }

  public static InvalidRequestException of(String field, String detail) {
    return new InvalidRequestException(List.of(new Problem.FieldError(field, detail)));
  }

  public Problem toProblem() {
    return new Problem(
        "/problems/invalid-request", "The request is invalid", 400, getMessage(), errors);
  }
}
