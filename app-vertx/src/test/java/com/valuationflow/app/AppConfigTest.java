package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.valuationflow.app.mockvaluer.RetrySchedule;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppConfigTest {

  private static final String SECRET = ScriptedValuer.SECRET_TEXT;
  private static final String OTHER_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void defaultsAreTheDocumentedOnes() {
    AppConfig config = AppConfig.defaults();

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.valuerDelay()).isEqualTo(Duration.ofSeconds(6));
    assertThat(config.valuationTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(config.callbackUrl(8080))
        .isEqualTo(URI.create("http://localhost:8080/webhooks/valuations"));
    assertThat(config.effectiveValuerUrl(8080))
        .isEqualTo(URI.create("http://localhost:8080/valuer/valuations"));
  }

  @Test
  void environmentVariablesOverrideTheDefaults() {
    AppConfig config =
        AppConfig.fromEnvironment(
            Map.of(
                "PORT", "9090",
                "VALUER_DELAY_MS", "50",
                "VALUER_URL", "https://valuer.example.com/valuations",
                "PUBLIC_BASE_URL", "https://loans.example.com/"));

    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.valuerDelay()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.effectiveValuerUrl(9090))
        .isEqualTo(URI.create("https://valuer.example.com/valuations"));
    assertThat(config.callbackUrl(9090))
        .isEqualTo(URI.create("https://loans.example.com/webhooks/valuations"));
  }

  @Test
  void anInvalidValueNamesTheVariable() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("PORT", "eighty")))
        .withMessageStartingWith("PORT is invalid: must be a whole number");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("VALUER_DELAY_MS", "-1")))
        .withMessageStartingWith("VALUER_DELAY_MS is invalid");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("PUBLIC_BASE_URL", "localhost:8080")))
        .withMessageStartingWith("PUBLIC_BASE_URL is invalid");
  }

  @Test
  void theShutdownGraceIsWholeSecondsFromZeroToAnHour() {
    assertThat(AppConfig.defaults().shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(AppConfig.fromEnvironment(Map.of("SHUTDOWN_GRACE_SECONDS", "0")).shutdownGrace())
        .isZero();
    assertThat(AppConfig.fromEnvironment(Map.of("SHUTDOWN_GRACE_SECONDS", "45")).shutdownGrace())
        .isEqualTo(Duration.ofSeconds(45));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("SHUTDOWN_GRACE_SECONDS", "-1")))
        .withMessageStartingWith("SHUTDOWN_GRACE_SECONDS is invalid: must be between 0 and 3600");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("SHUTDOWN_GRACE_SECONDS", "5s")))
        .withMessageStartingWith("SHUTDOWN_GRACE_SECONDS is invalid: must be a whole number");
  }

  @Test
  void strandedCallbacksAreSoughtEveryThirtySecondsOnceThirtySecondsOld() {
    assertThat(AppConfig.defaults().strandedCallbacks())
        .isEqualTo(
            new AppConfig.StrandedCallbacks(
                Duration.ofSeconds(30), HandleValuationCallback.STUCK_AFTER));
    assertThat(
            AppConfig.fromEnvironment(
                    Map.of(
                        "STRANDED_CALLBACK_SWEEP_SECONDS", "5",
                        "STRANDED_CALLBACK_AGE_SECONDS", "2"))
                .strandedCallbacks())
        .isEqualTo(new AppConfig.StrandedCallbacks(Duration.ofSeconds(5), Duration.ofSeconds(2)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("STRANDED_CALLBACK_SWEEP_SECONDS", "0")))
        .withMessageStartingWith(
            "STRANDED_CALLBACK_SWEEP_SECONDS is invalid: must be between 1 and 86400");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("STRANDED_CALLBACK_AGE_SECONDS", "x")))
        .withMessageStartingWith(
            "STRANDED_CALLBACK_AGE_SECONDS is invalid: must be a whole number");
  }

  @Test
  void theModeIsInMemoryUnlessToldOtherwise() {
    assertThat(AppConfig.defaults().mode()).isEqualTo(AppConfig.Mode.INMEMORY);
    assertThat(AppConfig.defaults().aws()).isEmpty();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("MODE", "cloud")))
        .withMessageStartingWith("MODE is invalid: must be 'inmemory' or 'aws'");
  }

  @Test
  void awsModeReadsWhereTheResourcesAre() {
    AppConfig config =
        AppConfig.fromEnvironment(
            Map.of(
                "MODE", "aws",
                "AWS_REGION", "eu-west-2",
                "TASK_TOKEN_TABLE", "valuation-task-tokens",
                "STATE_MACHINE_ARN", "arn:aws:states:eu-west-2:123456789012:stateMachine:Loans",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:8000",
                "WEBHOOK_SECRET", SECRET,
                "API_KEYS", TestApiKey.API_KEYS));

    AppConfig.AwsSettings aws = config.aws().orElseThrow();
    assertThat(aws.region()).contains("eu-west-2");
    assertThat(aws.taskTokenTable()).isEqualTo("valuation-task-tokens");
    assertThat(aws.dynamoDbEndpoint()).contains(URI.create("http://localhost:8000"));
    assertThat(aws.stepFunctionsEndpoint()).isEmpty();
  }

  @Test
  void awsModeNamesTheSettingItMisses() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AppConfig.fromEnvironment(
                    Map.of("MODE", "aws", "STATE_MACHINE_ARN", "arn:aws:states:x")))
        .withMessage("TASK_TOKEN_TABLE must be set when MODE=aws");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("MODE", "AWS", "TASK_TOKEN_TABLE", "t")))
        .withMessage("STATE_MACHINE_ARN must be set when MODE=aws");
  }

  private static Map<String, String> aws(String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("MODE", "aws");
    env.put("TASK_TOKEN_TABLE", "valuation-task-tokens");
    env.put("STATE_MACHINE_ARN", "arn:aws:states:eu-west-2:123456789012:stateMachine:Loans");
    env.put("API_KEYS", TestApiKey.API_KEYS);
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void webhookDefaultsAreTheDocumentedOnes() {
    AppConfig.WebhookSettings webhooks = AppConfig.defaults().webhooks();

    assertThat(webhooks.secrets()).as("generated at start-up").isEmpty();
    assertThat(webhooks.tolerance()).isEqualTo(Duration.ofMinutes(5));
    assertThat(webhooks.idRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(webhooks.idCapacity()).isEqualTo(100_000);
    assertThat(AppConfig.defaults().effectiveMockValuerCallbackAllowlist(8080))
        .containsExactly(URI.create("http://localhost:8080"));
  }

  @Test
  void webhookSettingsAreRead() {
    AppConfig config =
        AppConfig.fromEnvironment(
            Map.of(
                "WEBHOOK_SECRET", SECRET + ", " + OTHER_SECRET,
                "WEBHOOK_TOLERANCE_SECONDS", "60",
                "WEBHOOK_ID_RETENTION_SECONDS", "3600",
                "WEBHOOK_ID_CAPACITY", "10",
                "PUBLIC_BASE_URL", "https://loans.example.com",
                "MOCK_VALUER_CALLBACK_ALLOWLIST",
                    "https://a.example.com/hooks, http://b.example.com"));

    assertThat(config.webhooks().secrets().orElseThrow().all()).hasSize(2);
    assertThat(config.webhooks().tolerance()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.webhooks().idRetention()).isEqualTo(Duration.ofHours(1));
    assertThat(config.webhooks().idCapacity()).isEqualTo(10);
    assertThat(config.effectiveMockValuerCallbackAllowlist(8080))
        .containsExactly(
            URI.create("https://a.example.com/hooks"), URI.create("http://b.example.com"));
    assertThat(
            AppConfig.fromEnvironment(Map.of("PUBLIC_BASE_URL", "https://loans.example.com"))
                .effectiveMockValuerCallbackAllowlist(8080))
        .containsExactly(URI.create("https://loans.example.com"));
  }

  @Test
  void awsModeRefusesToStartWithoutAWebhookSecret() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(aws()))
        .withMessage("WEBHOOK_SECRET must be set when MODE=aws");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(aws("WEBHOOK_SECRET", " ")))
        .withMessage("WEBHOOK_SECRET must be set when MODE=aws");
    assertThat(AppConfig.fromEnvironment(aws("WEBHOOK_SECRET", SECRET)).webhooks().secrets())
        .isPresent();
  }

  @Test
  void anInvalidSecretIsNamedButNeverQuoted() {
    String typo = SECRET.substring(0, 20);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("WEBHOOK_SECRET", typo)))
        .withMessageStartingWith("WEBHOOK_SECRET is invalid")
        .withMessageNotContaining(typo.substring(6));
  }

  @Test
  void invalidWebhookSettingsAreNamed() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AppConfig.fromEnvironment(
                    Map.of(
                        "WEBHOOK_TOLERANCE_SECONDS", "600", "WEBHOOK_ID_RETENTION_SECONDS", "60")))
        .withMessageContaining("WEBHOOK_ID_RETENTION_SECONDS");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("WEBHOOK_ID_CAPACITY", "0")))
        .withMessageStartingWith("WEBHOOK_ID_CAPACITY is invalid");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> AppConfig.fromEnvironment(Map.of("MOCK_VALUER_CALLBACK_ALLOWLIST", "ftp://x")))
        .withMessageStartingWith("MOCK_VALUER_CALLBACK_ALLOWLIST is invalid");
  }

  @Test
  void finishedExecutionsAreRememberedForADayAndTenThousandAtMostUnlessToldOtherwise() {
    assertThat(AppConfig.defaults().finishedExecutions())
        .isEqualTo(new AppConfig.FinishedExecutions(Duration.ofDays(1), 10_000));
    assertThat(
            AppConfig.fromEnvironment(
                    Map.of(
                        "FINISHED_EXECUTION_RETENTION_SECONDS", "600",
                        "FINISHED_EXECUTION_CAPACITY", "50"))
                .finishedExecutions())
        .isEqualTo(new AppConfig.FinishedExecutions(Duration.ofMinutes(10), 50));
  }

  @Test
  void invalidFinishedExecutionSettingsAreNamed() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> AppConfig.fromEnvironment(Map.of("FINISHED_EXECUTION_RETENTION_SECONDS", "0")))
        .withMessageStartingWith("FINISHED_EXECUTION_RETENTION_SECONDS is invalid");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("FINISHED_EXECUTION_CAPACITY", "x")))
        .withMessageStartingWith("FINISHED_EXECUTION_CAPACITY is invalid");
  }

  @Test
  void theMockValuerRetriesEightTimesFromOneSecondToFiveMinutesUnlessToldOtherwise() {
    assertThat(AppConfig.defaults().mockValuerRetries())
        .isEqualTo(new RetrySchedule(8, Duration.ofSeconds(1), Duration.ofMinutes(5)));
    assertThat(
            AppConfig.fromEnvironment(
                    Map.of(
                        "MOCK_VALUER_RETRY_ATTEMPTS", "3",
                        "MOCK_VALUER_RETRY_BASE_MS", "200",
                        "MOCK_VALUER_RETRY_MAX_MS", "1000"))
                .mockValuerRetries())
        .isEqualTo(new RetrySchedule(3, Duration.ofMillis(200), Duration.ofSeconds(1)));
  }

  @Test
  void invalidRetrySettingsAreNamed() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("MOCK_VALUER_RETRY_ATTEMPTS", "0")))
        .withMessageStartingWith("MOCK_VALUER_RETRY_ATTEMPTS is invalid");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AppConfig.fromEnvironment(
                    Map.of("MOCK_VALUER_RETRY_BASE_MS", "5000", "MOCK_VALUER_RETRY_MAX_MS", "10")))
        .withMessage("MOCK_VALUER_RETRY_MAX_MS must not be less than MOCK_VALUER_RETRY_BASE_MS");
  }

  @Test
  void secretsNeverAppearWhenTheConfigurationIsPrinted() {
    AppConfig config =
        AppConfig.fromEnvironment(aws("WEBHOOK_SECRET", SECRET + " " + OTHER_SECRET));

    assertThat(config.toString())
        .contains("WebhookSecrets[2 redacted]")
        .doesNotContain(SECRET.substring(6), OTHER_SECRET.substring(6));
  }
}
