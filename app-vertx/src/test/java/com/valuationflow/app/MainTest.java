package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.http.InFlightRequests.Drained;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The lines {@link Main} prints when it stops: never a bare "null". */
class MainTest {

  @Test
  void aCleanStopSaysHowManyRequestsItDrainedAndHowLongItTook() {
    assertThat(Main.stoppedLine(new Drained(1, 0, 0, Duration.ZERO), Duration.ofMillis(120)))
        .isEqualTo("ValuationFlow stopped: drained 1 in-flight request in 120 ms");
    assertThat(Main.stoppedLine(new Drained(0, 0, 0, Duration.ZERO), Duration.ofMillis(80)))
        .isEqualTo("ValuationFlow stopped: drained 0 in-flight requests in 80 ms");
  }

  @Test
  void anAbandoningStopCountsWhatItAbandoned() {
    assertThat(Main.stoppedLine(new Drained(3, 1, 2, Duration.ZERO), Duration.ofMillis(1002)))
        .isEqualTo(
            "ValuationFlow stopped: drained 2 in-flight requests in 1002 ms; abandoned 1 request"
                + " and 2 blocking tasks still running after the grace period");
  }

  @Test
  void aFailureWithoutMessageIsNamedByItsClass() {
    assertThat(Main.describe(new ExecutionException(new TimeoutException())))
        .isEqualTo("java.util.concurrent.TimeoutException");
    assertThat(Main.describe(new CompletionException(new NullPointerException())))
        .isEqualTo("java.lang.NullPointerException");
    assertThat(
            Main.describe(
                new IllegalStateException("Closing the HTTP server failed", new IOException())))
        .isEqualTo(
            "java.lang.IllegalStateException: Closing the HTTP server failed"
                + " (cause: java.io.IOException)");
  }
}
