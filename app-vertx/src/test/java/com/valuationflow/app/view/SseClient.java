package com.valuationflow.app.view;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Server-Sent Events stream as a browser's EventSource parses it, one message at a time.
 */
final class SseClient implements AutoCloseable {

  /** One message: its id (empty if it set none), type and data. */
  record Message(Optional<Long> id, String event, String data) {}

  private final HttpResponse<InputStream> response;
  private final BufferedReader reader;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  static SseClient open(URI uri, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
    headers.forEach(request::header);
    HttpResponse<InputStream> response =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build()
            .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    return new SseClient(response);
  }

  HttpResponse<InputStream> response() {
    return response;
  }

  /** The next message, or empty once the stream has ended. */
  Optional<Message> next() throws IOException {
    Long id = null;
    String event = "message";
    StringBuilder data = null;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return Optional.of(new Message(Optional.ofNullable(id), event, data.toString()));
        }
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
      switch (field) {
        case "id" -> id = Long.valueOf(value);
        case "event" -> event = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {}
      }
    }
    return Optional.empty();
  }

  /** Every message until the stream ends. */
  List<Message> rest() throws IOException {
    List<Message> messages = new ArrayList<>();
    for (Optional<Message> message = next(); message.isPresent(); message = next()) {
      messages.add(message.get());
    }
    return messages;
  }

  @Override
  public void close() throws IOException {
    response.body().close();
  }
}
