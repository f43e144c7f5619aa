package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Main} in a JVM of its own, stopped with SIGTERM while a loan submission is held on its
 * Step Functions call: the submission gets its answer, and the process exits 0 with one line saying
 * so. It logs with {@code LOG_FORMAT=json}: every line on standard output is JSON, and SLF4J finds
 * its provider.
 */
@ExtendWith(VertxExtension.class)
class MainProcessStopTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
  @TempDir Path directory;
  private Path outputFile;
  private Path errorFile;
  private HeldStepFunctions stepFunctions;
  private Process process;

  @AfterEach
  void cleanUp() {
    if (process != null) {
      process.destroyForcibly();
    }
    stepFunctions.release();
    stepFunctions.close();
  }

  @Test
  void sigtermDrainsTheInFlightSubmissionAndExitsZero(Vertx vertx) throws Exception {
    stepFunctions = HeldStepFunctions.start(vertx);
    outputFile = directory.resolve("app.log");
    errorFile = directory.resolve("app.err");
    int port = freePort();
    process = start(port);
    awaitLine("listening on port");
    URI base = URI.create("http://localhost:" + port);
    assertThat(send(get(base, "/health")).statusCode()).isEqualTo(200);

    CompletableFuture<HttpResponse<String>> submission =
        http.sendAsync(
            HttpRequest.newBuilder(base.resolve("/loan-applications"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestApiKey.AUTHORIZATION)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"applicationReference\":\"sigterm-ref\","
                            + "\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"SW1A 1AA\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    stepFunctions.awaitFirstCall();

    long signalled = System.nanoTime();
    process.destroy();
    awaitRefusal(base);
    stepFunctions.release();

    assertThat(submission.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
    Duration stopTook = Duration.ofNanos(System.nanoTime() - signalled);
    assertThat(process.exitValue()).as("exit status; output: %s", output()).isEqualTo(0);
    awaitLine(errorFile, "ValuationFlow stopped: drained ");
    // The submission, and perhaps one of this test's /health polls that had just been admitted
    // when the stop began (the drain counts requests from the signal's thread); nothing abandoned.
    assertThat(Files.readAllLines(errorFile))
        .anyMatch(
            line ->
                line.matches(
                    "ValuationFlow stopped: drained (1 in-flight request|2 in-flight requests)"
                        + " in \\d+ ms"));
    assertThat(Files.readAllLines(errorFile)).noneMatch(line -> line.contains("null"));
    assertThat(stopTook).isLessThan(Duration.ofSeconds(5));
    List<JsonNode> logged = new ArrayList<>();
    for (String line : output()) {
      logged.add(new ObjectMapper().readTree(line));
    }
    assertThat(logged).allMatch(line -> line.isObject() && line.path("message").isTextual());
    assertThat(logged).anyMatch(line -> line.path("message").asText().contains("listening on"));
    assertThat(Files.readAllLines(errorFile)).noneMatch(line -> line.startsWith("SLF4J"));
  }

  private Process start(int port) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName())
            .redirectError(errorFile.toFile());
    builder.environment().clear();
    builder
        .environment()
        .putAll(
            stepFunctions.appEnvironment(
                Map.of(
                    "PORT", Integer.toString(port),
                    "LOG_FORMAT", "json",
                    "MANAGEMENT_PORT", "0",
                    "SHUTDOWN_GRACE_SECONDS", "10",
                    "AWS_ACCESS_KEY_ID", "local",
                    "AWS_SECRET_ACCESS_KEY", "local")));
    return builder.redirectOutput(outputFile.toFile()).start();
  }

  private List<String> output() throws IOException {
    return Files.readAllLines(outputFile, StandardCharsets.UTF_8);
  }

  /** While draining, the app answers new requests with 503; then the listener closes. */
  private void awaitRefusal(URI base) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (send(get(base, "/health")).statusCode() == 503) {
          return;
        }
      } catch (IOException notListening) {
        throw new AssertionError("stopped listening while a request was in flight", notListening);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("never refused a request; output: " + output());
  }

  private void awaitLine(String text) throws InterruptedException, IOException {
    try {
      awaitLine(outputFile, text);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "\nstandard error: " + Files.readAllLines(errorFile), e);
    }
  }

  private static void awaitLine(Path file, String text) throws InterruptedException, IOException {
    Instant deadline = Instant.now().plus(WAIT);
    while (Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .noneMatch(line -> line.contains(text))) {
      assertThat(Instant.now())
          .as("a line with '%s' in %s", text, Files.readAllLines(file, StandardCharsets.UTF_8))
          .isBefore(deadline);
      Thread.sleep(20);
    }
  }

  private static HttpRequest get(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT).build();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
