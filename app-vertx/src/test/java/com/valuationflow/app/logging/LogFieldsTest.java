package com.valuationflow.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogFieldsTest {

  @Test
  void aFieldIsSetForTheWorkOnlyAndRestoredAfterwards() throws Exception {
    String inside =
        LogFields.with(
            LogFields.WEBHOOK_ID,
            "outer",
            () -> {
              LogFields.with(
                  LogFields.WEBHOOK_ID,
                  "inner",
                  () -> assertThat(MDC.get(LogFields.WEBHOOK_ID)).isEqualTo("inner"));
              return MDC.get(LogFields.WEBHOOK_ID);
            });

    assertThat(inside).isEqualTo("outer");
    assertThat(MDC.get(LogFields.WEBHOOK_ID)).isNull();
  }

  @Test
  void aFieldIsClearedWhenTheWorkThrows() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                LogFields.with(
                    LogFields.WEBHOOK_ID,
                    "failing",
                    (Runnable)
                        () -> {
                          throw new IllegalStateException("failed");
                        }));

    assertThat(MDC.get(LogFields.WEBHOOK_ID)).isNull();
  }
}
