package com.valuationflow.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingSettingsTest {

  @Test
  void textAtInfoUnlessToldOtherwise() {
    assertThat(LoggingSettings.fromEnvironment(Map.of())).isEqualTo(LoggingSettings.DEFAULTS);
    assertThat(LoggingSettings.DEFAULTS)
        .isEqualTo(new LoggingSettings(LoggingSettings.Format.TEXT, "INFO"));
  }

  @Test
  void theFormatAndTheLevelAreRead() {
    assertThat(LoggingSettings.fromEnvironment(Map.of("LOG_FORMAT", "JSON", "LOG_LEVEL", "debug")))
        .isEqualTo(new LoggingSettings(LoggingSettings.Format.JSON, "DEBUG"));
    assertThat(LoggingSettings.fromEnvironment(Map.of("LOG_LEVEL", "warning")).level())
        .isEqualTo("WARN");
  }

  @Test
  void anUnknownValueNamesTheVariable() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LoggingSettings.fromEnvironment(Map.of("LOG_FORMAT", "xml")))
        .withMessage("LOG_FORMAT is invalid: must be 'text' or 'json' (was 'xml')");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LoggingSettings.fromEnvironment(Map.of("LOG_LEVEL", "loud")))
        .withMessageStartingWith("LOG_LEVEL is invalid: must be one of TRACE, DEBUG, INFO");
  }
}
