package com.valuationflow.app.mockvaluer;

import com.valuationflow.domain.model.Property;
import java.util.Arrays;

/**
 * How the mock valuer behaves for a property, chosen by its {@code nameOrNumber} (compared ignoring
 * case and surrounding space), the way payment providers reserve test card numbers.
 */
public enum Scenario {
  /** Any other name or number: a normal valuation after the configured delay. */
  NORMAL(""),
  /** Answers the request, never calls back: the task times out. */
  NO_CALLBACK("No callback"),
  /** Calls back only after the valuation timeout has passed. */
  LATE_CALLBACK("Late callback"),
  /** Calls back quoting a reference other than the one it answered with. */
  UNKNOWN_REFERENCE("Unknown reference"),
  /** Calls back reporting that the valuation failed. */
  FAILED_RESPONSE("Failed response"),
  /**
   * Delivers one callback message three times at once, under the same {@code webhook-id}, as a
   * valuer retrying or duplicating a delivery does: the webhook applies it once and answers all
   * three alike.
   */
  DUPLICATE_RESPONSE("Duplicate response"),
  /** Calls back before it answers the request. */
  EARLY_CALLBACK("Early callback"),
  /**
   * Answers a new request only after the loan processor's reply timeout ({@code
   * VALUER_TIMEOUT_MS}), though it values the property and calls back as usual; honouring {@code
   * Idempotency-Key}, it answers a repeat of the request at once with the same reference.
   */
  SLOW_REPLY("Slow reply"),
  /** Refuses the request with {@code 503 Service Unavailable}. */
  UNAVAILABLE("Unavailable");

  private final String trigger;

  Scenario(String trigger) {
    this.trigger = trigger;
  }

  /** The {@code nameOrNumber} that selects this scenario. */
  public String trigger() {
    return trigger;
  }

  public static Scenario of(Property property) {
    String name = property.nameOrNumber().strip();
    return Arrays.stream(values())
        .filter(scenario -> scenario != NORMAL && scenario.trigger.equalsIgnoreCase(name))
        .findFirst()
        .orElse(NORMAL);
  }
}
