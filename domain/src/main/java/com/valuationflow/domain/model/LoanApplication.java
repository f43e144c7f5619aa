package com.valuationflow.domain.model;

import java.util.Objects;

/** A mortgage loan application: the input of one loan-processor workflow execution. */
public record LoanApplication(ApplicationReference applicationReference, Property property) {

  public LoanApplication {
    Objects.requireNonNull(applicationReference, "'applicationReference' must not be null");
    Objects.requireNonNull(property, "'property' must not be null");
  }

  public static LoanApplication of(
      String applicationReference, String nameOrNumber, String postcode) {
    return new LoanApplication(
        ApplicationReference.of(applicationReference), Property.of(nameOrNumber, postcode));
  }
}
