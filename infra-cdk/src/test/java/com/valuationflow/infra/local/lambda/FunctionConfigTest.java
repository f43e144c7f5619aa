package com.valuationflow.infra.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionConfigTest {

  private static final String ARN = "arn:aws:lambda:eu-west-2:123456789012:function:intake";

  @TempDir Path code;

  @Test
  void takesAFunctionAsTheTemplateDeclaresIt() {
    Map<String, String> variables = new HashMap<>(Map.of("DELAY_SECONDS", "6"));
    FunctionConfig function = config("intake", ARN, "nodejs22.x", variables, 15, 256);
    variables.put("DELAY_SECONDS", "7");

    assertThat(function.environment()).containsEntry("DELAY_SECONDS", "6");
    assertThat(function.isJava()).isFalse();
    assertThat(function.region()).isEqualTo("eu-west-2");
    assertThat(config("intake", ARN, "java21", Map.of(), 900, 10_240).isJava()).isTrue();
  }

  @Test
  void refusesWhatLambdaWouldRefuse() {
    assertThatThrownBy(() -> config("in take", ARN, "java21", Map.of(), 3, 128))
        .hasMessageContaining("'name'");
    assertThatThrownBy(() -> config("other", ARN, "java21", Map.of(), 3, 128))
        .hasMessageContaining("'arn'");
    assertThatThrownBy(() -> config("intake", ARN, "python3.12", Map.of(), 3, 128))
        .hasMessageContaining("'runtime'");
    assertThatThrownBy(() -> config("intake", ARN, "java21", Map.of("1X", "y"), 3, 128))
        .hasMessageContaining("'environment'");
    assertThatThrownBy(() -> config("intake", ARN, "java21", Map.of(), 0, 128))
        .hasMessageContaining("'timeout'");
    assertThatThrownBy(() -> config("intake", ARN, "java21", Map.of(), 901, 128))
        .hasMessageContaining("'timeout'");
    assertThatThrownBy(() -> config("intake", ARN, "java21", Map.of(), 3, 127))
        .hasMessageContaining("'memoryMb'");
    assertThatThrownBy(
            () ->
                new FunctionConfig(
                    "intake",
                    ARN,
                    "java21",
                    "index.handler",
                    code.resolve("missing"),
                    Map.of(),
                    Duration.ofSeconds(3),
                    128))
        .hasMessageContaining("'codeDirectory'");
  }

  private FunctionConfig config(
      String name,
      String arn,
      String runtime,
      Map<String, String> environment,
      int timeoutSeconds,
      int memoryMb) {
    return new FunctionConfig(
        name,
        arn,
        runtime,
        "index.handler",
        code,
        environment,
        Duration.ofSeconds(timeoutSeconds),
        memoryMb);
  }
}
