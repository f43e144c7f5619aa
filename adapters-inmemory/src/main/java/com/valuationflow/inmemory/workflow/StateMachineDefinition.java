package com.valuationflow.inmemory.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed and validated Amazon States Language definition, ready for a {@link WorkflowEngine}.
 *
 * <p>Supported: the JSONPath query language; Pass, Task, Choice, Wait, Succeed, Fail, Parallel and
 * inline Map states; Task resources {@code arn:aws:states:::lambda:invoke}, {@code
 * arn:aws:states:::lambda:invoke.waitForTaskToken} and Lambda function ARNs. Anything else, and
 * anything Step Functions refuses when a state machine is created, is rejected by {@link #parse}.
 */
public final class StateMachineDefinition {

  private final String startAt;
  private final Map<String, State> states;
  private final Integer timeoutSeconds;
  private final String comment;
  private final String source;

  StateMachineDefinition(
      String startAt, Map<String, State> states, Integer timeoutSeconds, String comment) {
    this(startAt, states, timeoutSeconds, comment, null);
  }

  private StateMachineDefinition(
      String startAt,
      Map<String, State> states,
      Integer timeoutSeconds,
      String comment,
      String source) {
    this.source = source;
    this.startAt = startAt;
    this.states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
    this.timeoutSeconds = timeoutSeconds;
    this.comment = comment;
  }

  /**
   * Parses and validates a definition.
   *
   * @throws InvalidDefinitionException (an {@link IllegalArgumentException}) in Step Functions'
   *     wording, naming the state and field at fault and their location, if the definition is not
   *     valid ASL, or uses a feature this engine does not support
   */
  public static StateMachineDefinition parse(String json) {
    StateMachineDefinition parsed =
        DefinitionParser.parse(Objects.requireNonNull(json, "'json' must not be null"));
    return new StateMachineDefinition(
        parsed.startAt, parsed.states, parsed.timeoutSeconds, parsed.comment, json);
  }

  /** The definition as parsed, JSON. */
  public String json() {
    return source;
  }

  public String startAt() {
    return startAt;
  }

  /** The state names, in definition order. */
  public Set<String> stateNames() {
    return states.keySet();
  }

  /** The execution-level {@code TimeoutSeconds}, if set. */
  public Optional<Integer> timeoutSeconds() {
    return Optional.ofNullable(timeoutSeconds);
  }

  public Optional<String> comment() {
    return Optional.ofNullable(comment);
  }

  State state(String name) {
    State state = states.get(name);
    if (state == null) {
      throw new IllegalStateException("No state named '" + name + "'");
    }
    return state;
  }
}
