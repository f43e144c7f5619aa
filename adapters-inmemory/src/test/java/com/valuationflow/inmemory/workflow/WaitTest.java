package com.valuationflow.inmemory.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ExecutionStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitTest extends EngineTestSupport {

  private static String waitFor(String field) {
    return """
        {"StartAt": "Pause", "States": {
          "Pause": {"Type": "Wait", %s, "OutputPath": "$.keep", "Next": "Done"},
          "Done": {"Type": "Succeed"}}}
        """
        .formatted(field);
  }

  @Test
  void secondsWaitsOnTheScaledClock() {
    WorkflowEngine engine = engine(waitFor("\"Seconds\": 50"));
    long started = System.nanoTime();

    ExecutionSnapshot done = run(engine, "{\"keep\": {\"k\": 1}}");

    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(50 * SECOND.toNanos());
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).contains("{\"k\":1}");
    assertThat(done.eventTypes())
        .containsExactly(
            "ExecutionStarted",
            "WaitStateEntered",
            "WaitStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded");
  }

  @Test
  void aDayLongWaitTakesMillisecondsWithATinySecond() {
    WorkflowEngine engine = engine(waitFor("\"Seconds\": 86400"), Duration.ofNanos(1_000));

    assertThat(run(engine, "{\"keep\": 1}").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void secondsPathReadsTheDelayFromTheInput() {
    WorkflowEngine engine = engine(waitFor("\"SecondsPath\": \"$.delay\""));

    assertThat(run(engine, "{\"delay\": 2, \"keep\": true}").output()).contains("true");
  }

  @Test
  void aSecondsPathThatIsNotANonNegativeIntegerIsARuntimeError() {
    WorkflowEngine engine = engine(waitFor("\"SecondsPath\": \"$.delay\""));

    ExecutionSnapshot done = run(engine, "{\"delay\": -1, \"keep\": true}");

    assertThat(done.error()).contains("States.Runtime");
    assertThat(done.cause().orElseThrow()).contains("SecondsPath");
  }

  @Test
  void timestampWaitsUntilTheInstantOnTheEngineClock() {
    WorkflowEngine engine = engine(waitFor("\"Timestamp\": \"2025-03-14T09:00:30Z\""));
    long started = System.nanoTime();

    assertThat(run(engine, "{\"keep\": 1}").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(30 * SECOND.toNanos());
  }

  @Test
  void aTimestampInThePastDoesNotWait() {
    WorkflowEngine engine =
        engine(waitFor("\"Timestamp\": \"2000-01-01T00:00:00Z\""), Duration.ofHours(1));

    assertThat(run(engine, "{\"keep\": 1}").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void timestampPathReadsTheInstantFromTheInput() {
    WorkflowEngine engine = engine(waitFor("\"TimestampPath\": \"$.until\""));

    assertThat(run(engine, "{\"until\": \"2025-03-14T09:00:02+00:00\", \"keep\": 1}").status())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
    WorkflowEngine other = engine(waitFor("\"TimestampPath\": \"$.until\""));
    assertThat(run(other, "{\"until\": \"next tuesday\", \"keep\": 1}").error())
        .contains("States.Runtime");
  }
}
