package com.valuationflow.domain.model;

/**
 * A value object was given a value it does not accept. {@link #field()} names the offending field
 * as the value object calls it ({@code postcode}, {@code propertyValue}, ...), so callers can point
 * their users at it.
 */
public final class InvalidValueException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidValueException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
