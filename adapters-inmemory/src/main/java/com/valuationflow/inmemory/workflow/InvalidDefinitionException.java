package com.valuationflow.inmemory.workflow;

import java.util.Objects;

/**
 * A definition that Step Functions would refuse when the state machine is created ({@code
 * InvalidDefinition}), with its wording: {@code Invalid State Machine Definition:
 * 'SCHEMA_VALIDATION_FAILED: <problem> at /States/<state>/<field>'}.
 */
public final class InvalidDefinitionException extends IllegalArgumentException {

  private final String code;
  private final String problem;
  private final String location;

  InvalidDefinitionException(String code, String problem, String location) {
    super(
        "Invalid State Machine Definition: '"
            + Objects.requireNonNull(code, "'code' must not be null")
            + ": "
            + Objects.requireNonNull(problem, "'problem' must not be null")
            + " at "
            + Objects.requireNonNull(location, "'location' must not be null")
            + "'");
    this.code = code;
    this.problem = problem;
    this.location = location;
  }

  /** Step Functions' diagnostic code, such as {@code SCHEMA_VALIDATION_FAILED}. */
  public String code() {
    return code;
  }

  /** What is wrong, naming the state and field. */
  public String problem() {
    return problem;
  }

  /** Where, as a JSON pointer into the definition: {@code /States/<state>/<field>}. */
  public String location() {
    return location;
  }
}
