package com.valuationflow.app.view;

import com.valuationflow.app.mockvaluer.Scenario;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The in-app mock valuer's scenarios as the form offers them: trigger and what happens. */
public final class MockValuerScenarios {

  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          "No callback", "answers, never calls back: the task times out",
          "Late callback", "calls back after the valuation timeout",
          "Unknown reference", "calls back quoting another reference",
          "Failed response", "calls back reporting a failed valuation",
          "Duplicate response", "delivers its callback three times; it is applied once",
          "Early callback", "calls back before it answers the request",
          "Slow reply", "answers after the reply timeout; the retry gets the same valuation",
          "Unavailable", "refuses the request with 503");

  private MockValuerScenarios() {}

  /** Every scenario but the normal one, in the mock valuer's order. */
  public static List<Map.Entry<String, String>> all() {
    return Arrays.stream(Scenario.values())
        .filter(scenario -> !scenario.trigger().isEmpty())
        .map(
            scenario ->
                Map.entry(scenario.trigger(), DESCRIPTIONS.getOrDefault(scenario.trigger(), "")))
        .toList();
  }
}
