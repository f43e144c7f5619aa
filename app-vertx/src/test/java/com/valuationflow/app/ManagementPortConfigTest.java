package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagementPortConfigTest {

  @Test
  void theManagementPortIs9464UnlessToldOtherwise() {
    assertThat(AppConfig.defaults().managementPort()).isEqualTo(9464);
    assertThat(AppConfig.fromEnvironment(Map.of("MANAGEMENT_PORT", "9100")).managementPort())
        .isEqualTo(9100);
    assertThat(AppConfig.fromEnvironment(Map.of("MANAGEMENT_PORT", "0")).managementPort()).isZero();
  }

  @Test
  void anInvalidManagementPortIsNamed() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("MANAGEMENT_PORT", "65536")))
        .withMessageContaining("MANAGEMENT_PORT");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AppConfig.fromEnvironment(Map.of("MANAGEMENT_PORT", "metrics")))
        .withMessageContaining("MANAGEMENT_PORT");
  }

  @Test
  void theManagementPortMustNotBeThePublicOne() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> AppConfig.fromEnvironment(Map.of("PORT", "9000", "MANAGEMENT_PORT", "9000")))
        .withMessageContaining("MANAGEMENT_PORT must differ from PORT");
    assertThat(AppConfig.defaults().withPort(0).withManagementPort(0).managementPort()).isZero();
  }
}
