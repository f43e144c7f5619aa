package com.valuationflow.app.view;

import com.valuationflow.domain.model.ExecutionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How the view shows an execution's status and how long it has waited. */
final class Statuses {

  private Statuses() {}

  static String symbol(ExecutionStatus status) {
    return switch (status) {
      case RUNNING -> "\u25F7";
      case SUCCEEDED -> "\u2713";
      case FAILED, TIMED_OUT, ABORTED -> "\u2715";
    };
  }

  /** "waited so far 3.2 s" (ticking in the browser) while running, "took 6.1 s" once stopped. */
  static void elapsed(Html html, Instant start, Optional<Instant> stop, Clock clock) {
    if (stop.isPresent()) {
      html.raw("took ").text(Texts.duration(Duration.between(start, stop.get())));
    } else {
      html.raw("waited so far <span data-since=\"")
          .text(start)
          .raw("\">")
          .text(Texts.duration(Duration.between(start, Instant.now(clock))))
          .raw("</span>");
    }
  }
}
