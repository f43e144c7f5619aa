package com.valuationflow.app.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.AppConfig;
import com.valuationflow.app.RunningApp;
import com.valuationflow.app.http.InFlightRequests;
import com.valuationflow.app.http.Json;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The live stream of an application's history on its own: every event once and in order, its SSE id
 * the history event's id; a reconnect with {@code Last-Event-ID} misses nothing and repeats
 * nothing; the stream ends when the execution does, and when the app stops.
 */
@ExtendWith(VertxExtension.class)
class ExecutionEventStreamTest {

  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withValuerDelay(Duration.ofMillis(600))
                .withTimeCompressedTo(Duration.ofMillis(10), Duration.ofSeconds(1000))
                .withShutdownGrace(Duration.ofSeconds(10)));
  }

  /** Every stream has ended by now, or the stop ends it: none is left in flight. */
  @AfterEach
  void stop() {
    InFlightRequests.Drained drained = RunningApp.await(app.stop());
    assertThat(drained.complete()).as(drained.toString()).isTrue();
    app.close();
  }

  @Test
  void everyEventArrivesOnceInOrderThenTheStreamEnds() throws Exception {
    submit("app-ref", "999");

    List<SseClient.Message> messages;
    try (SseClient stream = SseClient.open(events("app-ref"), Map.of())) {
      assertThat(stream.response().headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
      messages = stream.rest();
    }

    List<SseClient.Message> history = ofType(messages, "history");
    JsonNode execution = app.get("/loan-applications/app-ref").json();
    List<Long> expectedIds =
        StreamSupport.stream(execution.path("history").spliterator(), false)
            .map(event -> event.path("id").asLong())
            .toList();
    assertThat(history).extracting(message -> message.id().orElseThrow()).isEqualTo(expectedIds);
    assertThat(expectedIds)
        .isEqualTo(LongStream.rangeClosed(1, expectedIds.size()).boxed().toList());
    assertThat(history)
        .extracting(message -> Json.MAPPER.readTree(message.data()).path("type").asText())
        .contains("TaskSubmitted", "TaskSucceeded", "ExecutionSucceeded")
        .last()
        .isEqualTo("ExecutionSucceeded");
    assertThat(messages.get(messages.size() - 1).event()).isEqualTo("end");
    assertThat(messages.get(messages.size() - 1).data()).contains("SUCCEEDED");
  }

  @Test
  void aReconnectWithTheLastEventIdMissesNothingAndRepeatsNothing() throws Exception {
    submit("app-ref", "999");

    List<Long> received = new ArrayList<>();
    try (SseClient first = SseClient.open(events("app-ref"), Map.of())) {
      while (received.size() < 3) {
        SseClient.Message message = first.next().orElseThrow();
        message.id().ifPresent(received::add);
      }
    }
    long lastEventId = received.get(received.size() - 1);
    List<SseClient.Message> rest;
    try (SseClient second =
        SseClient.open(
            URI.create(app.url("/applications/app-ref/events?lastEventId=0")),
            Map.of("Last-Event-ID", Long.toString(lastEventId)))) {
      rest = second.rest();
    }
    ofType(rest, "history").forEach(message -> received.add(message.id().orElseThrow()));

    int events = app.get("/loan-applications/app-ref").json().path("history").size();
    assertThat(received).isEqualTo(LongStream.rangeClosed(1, events).boxed().toList());
  }

  @Test
  void aFinishedApplicationsStreamSendsWhatFollowsTheIdThenEnds() throws Exception {
    submit("app-ref", "999");
    int events =
        app.awaitApplication("app-ref", status -> status.equals("SUCCEEDED"))
            .json()
            .path("history")
            .size();

    List<SseClient.Message> messages;
    try (SseClient stream =
        SseClient.open(
            URI.create(app.url("/applications/app-ref/events?lastEventId=2")), Map.of())) {
      messages = stream.rest();
    }

    assertThat(ofType(messages, "history"))
        .extracting(message -> message.id().orElseThrow())
        .isEqualTo(LongStream.rangeClosed(3, events).boxed().toList());
    assertThat(messages.get(messages.size() - 1).event()).isEqualTo("end");
  }

  @Test
  void anOpenStreamDoesNotHoldUpAStop() throws Exception {
    submit("silent-1", "No callback");

    try (SseClient stream = SseClient.open(events("silent-1"), Map.of())) {
      assertThat(stream.next()).isPresent();
      long started = System.nanoTime();

      InFlightRequests.Drained drained = RunningApp.await(app.stop());

      assertThat(drained.complete()).as(drained.toString()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      stream.rest();
    }
  }

  @Test
  void anUnknownApplicationsStreamSaysItIsGone() throws Exception {
    try (SseClient stream = SseClient.open(events("never-submitted"), Map.of())) {
      assertThat(stream.rest()).extracting(SseClient.Message::event).containsExactly("gone");
    }
  }

  private URI events(String reference) {
    return URI.create(app.url("/applications/" + reference + "/events"));
  }

  private void submit(String reference, String nameOrNumber) {
    RunningApp.Response response =
        app.post(
            "/loan-applications",
            "{\"applicationReference\":\""
                + reference
                + "\",\"property\":{\"nameOrNumber\":\""
                + nameOrNumber
                + "\",\"postcode\":\"PO1 1CE\"}}");
    assertThat(response.status()).isEqualTo(202);
  }

  private static List<SseClient.Message> ofType(List<SseClient.Message> messages, String type) {
    return messages.stream().filter(message -> message.event().equals(type)).toList();
  }
}
