package com.valuationflow.infra.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.infra.local.AwsServiceError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local Lambda answers before it runs anything. */
class LocalLambdaTest {

  private static final String ARN = "arn:aws:lambda:eu-west-2:123456789012:function:intake";

  @TempDir Path logs;
  @TempDir Path code;
  private LocalLambda lambda;

  @BeforeEach
  void start() {
    lambda = new LocalLambda(LambdaRuntimes.locate(), logs, 2);
    lambda.create(
        new FunctionConfig(
            "intake",
            ARN,
            "nodejs22.x",
            "index.handler",
            code,
            Map.of(),
            Duration.ofSeconds(3),
            128));
  }

  @AfterEach
  void stop() {
    lambda.close();
  }

  @Test
  void findsAFunctionByNameOrArnAsInvokeDoes() {
    assertThat(lambda.function("intake").arn()).isEqualTo(ARN);
    assertThat(lambda.function(ARN).name()).isEqualTo("intake");
    assertThat(lambda.function(ARN + ":$LATEST").name()).isEqualTo("intake");
    assertThat(lambda.function("intake:$LATEST").name()).isEqualTo("intake");
    assertThat(lambda.functions()).extracting(FunctionConfig::name).containsExactly("intake");
  }

  @Test
  void answersResourceNotFoundForAnotherFunction() {
    assertThatThrownBy(() -> lambda.invoke("callback", "{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            AwsServiceError.class,
            e -> {
              assertThat(e.code()).isEqualTo("ResourceNotFoundException");
              assertThat(e.status()).isEqualTo(404);
            });
    assertThatThrownBy(() -> lambda.function(ARN.replace("eu-west-2", "us-east-1")))
        .hasMessage("Function not found: " + ARN.replace("eu-west-2", "us-east-1"));
    assertThatThrownBy(() -> lambda.function("intake:1"))
        .hasMessage("Function not found: " + ARN + ":1");
  }

  @Test
  void findsAPublishedVersionAndItsAliasButNoOtherQualifier() {
    lambda.publishVersion("intake", "1");
    lambda.createAlias(ARN, "live", "1");

    assertThat(lambda.function(ARN + ":1").name()).isEqualTo("intake");
    assertThat(lambda.function(ARN + ":live").name()).isEqualTo("intake");
    assertThat(lambda.function("intake:live").name()).isEqualTo("intake");
    assertThatThrownBy(() -> lambda.function(ARN + ":2"))
        .hasMessage("Function not found: " + ARN + ":2");
    assertThatThrownBy(() -> lambda.function(ARN + ":canary"))
        .hasMessage("Function not found: " + ARN + ":canary");
    assertThatThrownBy(() -> lambda.createAlias("intake", "next", "2"))
        .hasMessage("Function not found: " + ARN + ":2");
  }

  @Test
  void refusesAPayloadThatIsNotJsonOrTooLarge() {
    assertThatThrownBy(() -> lambda.invoke("intake", "{oops".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            AwsServiceError.class,
            e -> assertThat(e.code()).isEqualTo("InvalidRequestContentException"));
    assertThatThrownBy(() -> lambda.invoke("intake", new byte[6 * 1024 * 1024 + 1]))
        .isInstanceOfSatisfying(
            AwsServiceError.class,
            e -> {
              assertThat(e.code()).isEqualTo("RequestTooLargeException");
              assertThat(e.status()).isEqualTo(413);
            });
  }

  @Test
  void refusesASecondFunctionOfTheSameName() {
    FunctionConfig again = lambda.function("intake");

    assertThatThrownBy(() -> lambda.create(again))
        .isInstanceOfSatisfying(
            AwsServiceError.class,
            e -> assertThat(e.code()).isEqualTo("ResourceConflictException"));
  }

  @Test
  void reportsErrorsLambdaItselfMakesAsLambdaWordsThem() {
    assertThat(LambdaErrors.timedOut("id-1", Duration.ofSeconds(3)).payloadText())
        .isEqualTo(
            "{\"errorType\":\"Sandbox.Timedout\","
                + "\"errorMessage\":\"RequestId: id-1 Error: Task timed out after 3.00 seconds\"}");
    assertThat(LambdaErrors.exited("id-2", 0).payloadText())
        .isEqualTo(
            "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: id-2 Error: Runtime"
                + " exited without providing a reason\"}");
    assertThat(LambdaErrors.responseTooLarge().errorType())
        .contains("Function.ResponseSizeTooLarge");
  }
}
