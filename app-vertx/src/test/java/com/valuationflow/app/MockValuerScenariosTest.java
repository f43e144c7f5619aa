package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each reserved name of the mock valuer leads a loan application down its documented path. */
@ExtendWith(VertxExtension.class)
class MockValuerScenariosTest {

  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withValuerDelay(Duration.ofMillis(30))
                .withTimeCompressedTo(Duration.ofMillis(10), Duration.ofSeconds(30)));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "999,                SUCCEEDED, ''",
    "Early callback,     SUCCEEDED, ''",
    "Duplicate response, SUCCEEDED, ''",
    "No callback,        FAILED,    ValuationServiceTimedOut",
    "Late callback,      FAILED,    ValuationServiceTimedOut",
    "Unknown reference,  FAILED,    ValuationServiceTimedOut",
    "Failed response,    FAILED,    ValuationFailed",
    "Unavailable,        FAILED,    ValuerUnavailable"
  })
  void theTriggerLeadsToItsOutcome(String nameOrNumber, String status, String error) {
    app.post(
        "/loan-applications",
        "{\"applicationReference\":\"app-ref\",\"property\":{\"nameOrNumber\":\""
            + nameOrNumber
            + "\",\"postcode\":\"PO1 1CE\"}}");

    JsonNode execution =
        app.awaitApplication("app-ref", current -> !current.equals("RUNNING")).json();

    assertThat(execution.path("status").asText()).isEqualTo(status);
    assertThat(execution.path("error").asText()).isEqualTo(error);
    assertThat(
            StreamSupport.stream(execution.path("history").spliterator(), false)
                .filter(event -> event.path("type").asText().equals("TaskSucceeded")))
        .hasSizeLessThanOrEqualTo(1);
  }
}
