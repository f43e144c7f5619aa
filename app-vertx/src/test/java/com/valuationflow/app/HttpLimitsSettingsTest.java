package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpLimitsSettingsTest {

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    assertThat(AppConfig.defaults().httpLimits())
        .isEqualTo(new HttpLimits(Duration.ofSeconds(60), Duration.ofSeconds(30), 4_096, 8_192));
  }

  @Test
  void environmentVariablesOverrideTheDefaults() {
    HttpLimits limits =
        AppConfig.fromEnvironment(
                Map.of(
                    "HTTP_IDLE_TIMEOUT_SECONDS", "90",
                    "HTTP_REQUEST_TIMEOUT_SECONDS", "5",
                    "HTTP_MAX_INITIAL_LINE_BYTES", "2048",
                    "HTTP_MAX_HEADER_BYTES", "16384"))
            .httpLimits();

    assertThat(limits)
        .isEqualTo(new HttpLimits(Duration.ofSeconds(90), Duration.ofSeconds(5), 2_048, 16_384));
    assertThat(limits.serverOptions().getIdleTimeout()).isEqualTo(90_000);
    assertThat(limits.serverOptions().getMaxInitialLineLength()).isEqualTo(2_048);
    assertThat(limits.serverOptions().getMaxHeaderSize()).isEqualTo(16_384);
  }

  @Test
  void anInvalidValueNamesTheVariable() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("HTTP_IDLE_TIMEOUT_SECONDS", "0")))
        .withMessageStartingWith("HTTP_IDLE_TIMEOUT_SECONDS is invalid");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("HTTP_REQUEST_TIMEOUT_SECONDS", "x")))
        .withMessageStartingWith("HTTP_REQUEST_TIMEOUT_SECONDS is invalid");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("HTTP_MAX_INITIAL_LINE_BYTES", "10")))
        .withMessageStartingWith("HTTP_MAX_INITIAL_LINE_BYTES is invalid");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("HTTP_MAX_HEADER_BYTES", "100")))
        .withMessageStartingWith("HTTP_MAX_HEADER_BYTES is invalid");
  }
}
