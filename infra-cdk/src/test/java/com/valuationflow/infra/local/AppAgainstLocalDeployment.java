package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.app.AppConfig;
import com.valuationflow.app.ValuationFlowApplication;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The app, unchanged, in {@code MODE=aws} with the settings a local deployment wrote, plus {@code
 * PORT}; and a plain HTTP client for its API, sending the deployment's API key.
 */
final class AppAgainstLocalDeployment implements AutoCloseable {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED");

  private final Vertx vertx;
  private final ValuationFlowApplication app;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String authorization;

  private AppAgainstLocalDeployment(Vertx vertx, ValuationFlowApplication app, String apiKey) {
    this.vertx = vertx;
    this.app = app;
    this.authorization = "Bearer " + apiKey;
  }

  static AppAgainstLocalDeployment start(Map<String, String> settings, String apiKey, int port)
      throws Exception {
    Map<String, String> env = new HashMap<>(settings);
    env.put("PORT", Integer.toString(port));
    env.put("MANAGEMENT_PORT", "0");
    // The AWS SDK reads credentials from the process environment, which a running JVM cannot
    // change; its system properties come first in the same default chain.
    System.setProperty("aws.accessKeyId", settings.get("AWS_ACCESS_KEY_ID"));
    System.setProperty("aws.secretAccessKey", settings.get("AWS_SECRET_ACCESS_KEY"));
    Vertx vertx = Vertx.vertx();
    ValuationFlowApplication app =
        ValuationFlowApplication.start(vertx, AppConfig.fromEnvironment(env))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return new AppAgainstLocalDeployment(vertx, app, apiKey);
  }

  /**
   * A port free now, below Linux's ephemeral range (32768 and up): the local services that start
   * after it is chosen bind port 0 and so never take it before the app does.
   */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
      try (ServerSocket socket = new ServerSocket(candidate)) {
        return socket.getLocalPort();
      } catch (IOException inUse) {
        // try another
      }
    }
    throw new IOException("No free port found between 20000 and 32000");
  }

  /** The application's view once it ends, waiting at most {@code within}. */
  JsonNode awaitEnd(String reference, Duration within) throws Exception {
    Instant deadline = Instant.now().plus(within);
    JsonNode view = get("/loan-applications/" + reference);
    while (!ENDED.contains(view.path("status").asText())) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(reference + " did not end within " + within + ": " + view);
      }
      Thread.sleep(200);
      view = get("/loan-applications/" + reference);
    }
    return view;
  }

  /** Submits an application for a property; the HTTP status. */
  int submit(String reference, String nameOrNumber, String postcode) throws Exception {
    String body =
        MAPPER
            .createObjectNode()
            .put("applicationReference", reference)
            .set(
                "property",
                MAPPER
                    .createObjectNode()
                    .put("nameOrNumber", nameOrNumber)
                    .put("postcode", postcode))
            .toString();
    return http.send(
            HttpRequest.newBuilder(url("/loan-applications"))
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(url(path)).header("Authorization", authorization).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return MAPPER.readTree(response.body());
  }

  /** A page of the execution view: its status and text. */
  HttpResponse<String> page(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url(path)).header("Authorization", authorization).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }

  @Override
  public void close() throws Exception {
    app.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
