package com.valuationflow.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real Node.js handlers of a Lambda function, with {@code node} and the test harness
 * {@code src/test/lambda/run-handler.js}, against the AWS SDK modules the Lambda runtime provides:
 * {@code src/main/lambda-runtimes/node} (pinned by its lock file), installed with {@code npm ci} in
 * {@code target/lambda-runtimes/node} unless already there.
 */
final class NodeHandlers {

  static final Path RUNTIME_SOURCES = Path.of("src", "main", "lambda-runtimes", "node");
  static final Path RUNTIME = Path.of("target", "lambda-runtimes", "node");
  static final Path HARNESS = Path.of("src", "test", "lambda", "run-handler.js");

  private static final long RUN_TIMEOUT_SECONDS = 60;

  private NodeHandlers() {}

  /** One call of the handler: its event, and how far its clock is moved ahead. */
  record Invocation(Object event, long clockOffsetSeconds) {

    static Invocation of(Object event) {
      return new Invocation(event, 0);
    }
  }

  /**
   * What one call came to: the handler's result, or the name and message of what it threw; and when
   * the test read it, which is after the handler's promise settled.
   */
  record Outcome(JsonNode result, String errorName, String errorMessage, Instant readAt) {

    boolean failed() {
      return errorName != null;
    }
  }

  /** The outcomes of one process (one function instance) running the invocations in order. */
  record Run(List<Outcome> outcomes, String stderr) {

    Outcome only() {
      if (outcomes.size() != 1) {
        throw new AssertionError("Expected one outcome, got " + outcomes + "\n" + stderr);
      }
      return outcomes.get(0);
    }
  }

  /**
   * Runs {@code handlerFile}'s handler once per invocation in one {@code node} process.
   *
   * @param env the function's environment, besides {@code NODE_PATH}
   * @param stripSignatures whether the harness removes the {@code webhook-*} headers from every
   *     request the handler sends, as a function posting unsigned callbacks would
   */
  static Run run(
      Path handlerFile,
      Map<String, String> env,
      boolean stripSignatures,
      List<Invocation> invocations) {
    Path nodeModules = nodeModules();
    ProcessBuilder builder =
        new ProcessBuilder("node", HARNESS.toString(), handlerFile.toString())
            .redirectErrorStream(false);
    Map<String, String> environment = builder.environment();
    String path = environment.get("PATH");
    String home = environment.get("HOME");
    environment.clear(); // nothing of this machine's AWS settings
    environment.put("PATH", path);
    if (home != null) {
      environment.put("HOME", home);
    }
    environment.put("NODE_PATH", nodeModules.toAbsolutePath().toString());
    environment.putAll(env);

    Map<String, Object> input = new LinkedHashMap<>();
    input.put("stripSignatures", stripSignatures);
    input.put("invocations", invocations);
    try {
      Process process = builder.start();
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      CompletableFuture<List<Outcome>> outcomes =
          CompletableFuture.supplyAsync(() -> readOutcomes(process));
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(Definitions.MAPPER.writeValueAsBytes(input));
      }
      if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("node did not finish in " + RUN_TIMEOUT_SECONDS + " s");
      }
      String errors = stderr.get(10, TimeUnit.SECONDS);
      if (process.exitValue() != 0) {
        throw new AssertionError("node exited " + process.exitValue() + ":\n" + errors);
      }
      return new Run(outcomes.get(10, TimeUnit.SECONDS), errors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Each line of stdout is one outcome, stamped when it is read. */
  private static List<Outcome> readOutcomes(Process process) {
    List<Outcome> outcomes = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        Instant readAt = Instant.now();
        JsonNode outcome = Definitions.json(line);
        JsonNode error = outcome.get("error");
        outcomes.add(
            error == null
                ? new Outcome(outcome.get("result"), null, null, readAt)
                : new Outcome(
                    null, error.path("name").asText(), error.path("message").asText(), readAt));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return outcomes;
  }

  private static String readAll(java.io.InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code node_modules} the handlers resolve the AWS SDK from: {@code npm ci} from the pinned
   * lock file, unless the pinned versions are installed already.
   */
  static synchronized Path nodeModules() {
    Path nodeModules = RUNTIME.resolve("node_modules");
    if (installed(nodeModules)) {
      return nodeModules;
    }
    try {
      Files.createDirectories(RUNTIME);
      for (String file : List.of("package.json", "package-lock.json")) {
        Files.copy(
            RUNTIME_SOURCES.resolve(file),
            RUNTIME.resolve(file),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Process npm =
          new ProcessBuilder(
                  "npm",
                  "ci",
                  "--prefix",
                  RUNTIME.toString(),
                  "--no-audit",
                  "--no-fund",
                  "--loglevel=error")
              .redirectErrorStream(true)
              .start();
      String output = readAll(npm.getInputStream());
      if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        npm.destroyForcibly();
        throw new IllegalStateException("npm ci in " + RUNTIME + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (!installed(nodeModules)) {
      throw new IllegalStateException("npm ci did not install the pinned AWS SDK modules");
    }
    return nodeModules;
  }

  /** Whether every dependency of the runtime's package.json is installed at its pinned version. */
  private static boolean installed(Path nodeModules) {
    JsonNode dependencies = json(RUNTIME_SOURCES.resolve("package.json")).path("dependencies");
    for (Iterator<Map.Entry<String, JsonNode>> it = dependencies.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> dependency = it.next();
      Path manifest = nodeModules.resolve(dependency.getKey()).resolve("package.json");
      if (!Files.isRegularFile(manifest)
          || !json(manifest).path("version").asText().equals(dependency.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode json(Path file) {
    try {
      return Definitions.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
