package com.valuationflow.infra.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local deployment as a user runs it: the {@code local-aws} script, on the build's runtime
 * classpath, in a process of its own, given {@code -c valuerUrl=...} for a third-party valuer,
 * writes the env file once ready; the app runs with those settings; SIGTERM stops it cleanly,
 * functions and all. The valuer calls back early, twice, late and with a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThirdPartyValuerEndToEndTest {

  private static final int VALUATION_TIMEOUT_SECONDS = 15;
  private static final Duration START_UP = Duration.ofSeconds(180);

  private Path directory;

  private Process deployment;
  private Path output;
  private Map<String, String> settings;
  private ScriptedValuer valuer;
  private AppAgainstLocalDeployment app;

  @BeforeAll
  void startTheCommandThenTheApp() throws Exception {
    int port = AppAgainstLocalDeployment.freePort();
    directory =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "local-aws-tests")), "run");
    valuer =
        new ScriptedValuer(
            () -> settings.get("WEBHOOK_SECRET"),
            Duration.ofSeconds(VALUATION_TIMEOUT_SECONDS + 3));
    Path envFile = directory.resolve("app.env");
    output = directory.resolve("local-aws.out");
    deployment =
        new ProcessBuilder(
                List.of(
                    "bash",
                    "local-aws",
                    "-c",
                    "publicBaseUrl=http://127.0.0.1:" + port,
                    "--context",
                    "valuerUrl=" + valuer.url(),
                    "-c",
                    "valuerTimeoutMs=10000",
                    "-c",
                    "valuationTimeoutSeconds=" + VALUATION_TIMEOUT_SECONDS,
                    "--env-file",
                    envFile.toString(),
                    "--work-dir",
                    directory.resolve("work").toString()))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    settings = awaitEnvFile(envFile);
    app =
        AppAgainstLocalDeployment.start(
            settings,
            Files.readString(
                directory.resolve("work").resolve(LocalDeploymentCommand.API_KEY_FILE)),
            port);
    for (String behaviour :
        List.of("Calls back early", "Calls back twice", "Calls back late", "Reports a failure")) {
      assertThat(app.submit(reference(behaviour), behaviour, "SW1A 1AA")).isEqualTo(202);
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (valuer != null) {
      valuer.close();
    }
    if (deployment != null && deployment.isAlive()) {
      deployment.destroyForcibly();
    }
  }

  @Test
  void theEnvFileHoldsEverythingTheAppNeeds() {
    assertThat(settings)
        .containsEntry("MODE", "aws")
        .containsKeys(
            "AWS_REGION",
            "AWS_ENDPOINT_URL_SFN",
            "AWS_ENDPOINT_URL_DYNAMODB",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "TASK_TOKEN_TABLE",
            "STATE_MACHINE_ARN",
            "WEBHOOK_SECRET",
            "API_KEYS",
            "PUBLIC_BASE_URL");
    assertThat(settings.get("WEBHOOK_SECRET")).startsWith("whsec_");
  }

  @Test
  void anEarlyCallbackIsHeldUntilTheReplyThenApplied() throws Exception {
    JsonNode view = app.awaitEnd(reference("Calls back early"), Duration.ofSeconds(60));

    assertThat(view.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(view.at("/output/valuation/propertyValue").asLong()).isEqualTo(ScriptedValuer.VALUE);
    assertThat(valuer.answers("Calls back early")).containsExactly(202);
  }

  @Test
  void aSecondCallbackOfTheSameValuationIsADuplicate() throws Exception {
    JsonNode view = app.awaitEnd(reference("Calls back twice"), Duration.ofSeconds(60));

    assertThat(view.path("status").asText()).isEqualTo("SUCCEEDED");
    awaitAnswers("Calls back twice", 2);
    assertThat(valuer.answers("Calls back twice")).containsExactly(200, 200);
  }

  @Test
  void aLateCallbackIsGoneAndTheApplicationTimedOut() throws Exception {
    JsonNode view = app.awaitEnd(reference("Calls back late"), Duration.ofSeconds(60));

    assertThat(view.path("status").asText()).isEqualTo("FAILED");
    assertThat(view.path("error").asText()).isEqualTo("ValuationServiceTimedOut");
    awaitAnswers("Calls back late", 1);
    assertThat(valuer.answers("Calls back late")).containsExactly(410);
  }

  @Test
  void aReportedFailureFailsTheApplicationWithTheReason() throws Exception {
    JsonNode view = app.awaitEnd(reference("Reports a failure"), Duration.ofSeconds(60));

    assertThat(view.path("status").asText()).isEqualTo("FAILED");
    assertThat(view.path("error").asText()).isEqualTo("ValuationFailed");
    assertThat(view.path("cause").asText()).contains("No access to the property");
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void sigtermStopsTheDeploymentCleanly() throws Exception {
    for (String behaviour :
        List.of("Calls back early", "Calls back twice", "Calls back late", "Reports a failure")) {
      app.awaitEnd(reference(behaviour), Duration.ofSeconds(60));
    }
    awaitAnswers("Calls back late", 1);
    List<ProcessHandle> children = new ArrayList<>(deployment.descendants().toList());
    assertThat(children).as("the functions run as processes of their own").isNotEmpty();

    deployment.destroy(); // SIGTERM

    assertThat(deployment.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
    assertThat(deployment.exitValue()).isEqualTo(143);
    assertThat(Files.readString(output)).contains("Local deployment stopped.");
    assertThat(children).noneMatch(ProcessHandle::isAlive);
    assertThat(directory.resolve("work").resolve("iam-report.txt")).isNotEmptyFile();
  }

  private void awaitAnswers(String behaviour, int count) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (valuer.answers(behaviour).size() < count && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
  }

  private Map<String, String> awaitEnvFile(Path envFile) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(START_UP);
    while (!Files.exists(envFile)) {
      if (!deployment.isAlive() || Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "The local deployment did not write its env file:\n" + Files.readString(output));
      }
      Thread.sleep(200);
    }
    Map<String, String> read = new LinkedHashMap<>();
    for (String line : Files.readAllLines(envFile)) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        read.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return read;
  }

  private static String reference(String behaviour) {
    return "tp-" + behaviour.toLowerCase().replace(' ', '-');
  }
}
