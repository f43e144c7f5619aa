package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's scenario over real HTTP: the loan API starts the workflow, the workflow asks the mock
 * valuer, the mock valuer calls the webhook back, the workflow resumes with the valuation.
 */
@ExtendWith(VertxExtension.class)
class LoanProcessEndToEndTest {

  static final String EXAMPLE =
      """
      {"applicationReference":"app-ref","property":{"nameOrNumber":"999","postcode":"PO1 1CE"}}""";

  /** What the mock valuer says 999, PO1 1CE is worth; fixed by its address. */
  static final long EXAMPLE_VALUE = 1_658_000;

  /** Every task token the in-memory engine issues starts with this. */
  private static final String ENGINE_TOKEN_PREFIX = "vfwt1.";

  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    app = RunningApp.start(vertx, AppConfig.defaults().withValuerDelay(Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void theExampleApplicationWaitsForItsValuationThenSucceedsWithIt() {
    RunningApp.Response submitted = app.post("/loan-applications", EXAMPLE);

    assertThat(submitted.status()).isEqualTo(202);
    assertThat(submitted.headers().get("Location")).isEqualTo("/loan-applications/app-ref");

    RunningApp.Response waiting = app.awaitApplication("app-ref", status -> true);
    assertThat(waiting.json().path("status").asText()).isEqualTo("RUNNING");

    RunningApp.Response done = app.awaitApplication("app-ref", status -> !status.equals("RUNNING"));
    JsonNode body = done.json();
    assertThat(body.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(body.at("/output/applicationReference").asText()).isEqualTo("app-ref");
    assertThat(body.at("/output/valuation/valuationReference").asText()).startsWith("val-");
    assertThat(body.at("/output/valuation/propertyValue").asLong()).isEqualTo(EXAMPLE_VALUE);
    assertThat(eventTypes(body))
        .containsSubsequence(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
    assertThat(done.text()).as("task tokens stay secret").doesNotContain(ENGINE_TOKEN_PREFIX);
  }

  @Test
  void resubmittingTheSameApplicationIsHarmlessButAConflictingOneIsRefused() {
    app.post("/loan-applications", EXAMPLE);

    RunningApp.Response again = app.post("/loan-applications", EXAMPLE);
    RunningApp.Response conflicting =
        app.post("/loan-applications", EXAMPLE.replace("\"999\"", "\"998\""));

    assertThat(again.status()).isEqualTo(202);
    assertThat(conflicting.status()).isEqualTo(409);
    assertThat(conflicting.headers().get("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void resubmittingOnceTheWorkflowHasEndedIsStillARepeatAndChangesNothing() {
    app.post("/loan-applications", EXAMPLE);
    RunningApp.Response done = app.awaitApplication("app-ref", status -> !status.equals("RUNNING"));

    RunningApp.Response again = app.post("/loan-applications", EXAMPLE);
    RunningApp.Response conflicting =
        app.post("/loan-applications", EXAMPLE.replace("\"999\"", "\"998\""));

    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().path("alreadySubmitted").asBoolean()).isTrue();
    assertThat(again.json().has("status")).as("a repeat's workflow may have ended").isFalse();
    assertThat(conflicting.status()).isEqualTo(409);
    assertThat(app.get("/loan-applications/app-ref").text())
        .as("the ended workflow is untouched")
        .isEqualTo(done.text());
  }

  private static List<String> eventTypes(JsonNode body) {
    return StreamSupport.stream(body.path("history").spliterator(), false)
        .map(event -> event.path("type").asText())
        .toList();
  }
}
