package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppConfigTest {

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
                "AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:8000"));

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
}
