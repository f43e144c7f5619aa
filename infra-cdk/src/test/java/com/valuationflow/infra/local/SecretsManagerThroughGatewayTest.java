package com.valuationflow.infra.local;

import static com.valuationflow.infra.local.LocalAwsFixture.APP_KEY;
import static com.valuationflow.infra.local.LocalAwsFixture.READER;
import static com.valuationflow.infra.local.LocalAwsFixture.READER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** {@code GetSecretValue} and {@code DescribeSecret} through the gateway with the SDK client. */
class SecretsManagerThroughGatewayTest {

  private static LocalAwsFixture aws;
  private static SecretsManagerClient reader;
  private static String arn;

  @BeforeAll
  static void start() {
    aws = new LocalAwsFixture();
    arn = aws.secrets.createSecret("valuer/webhook-secret", "s3cr3t-value");
    reader = aws.secretsManager(READER_KEY);
  }

  @AfterAll
  static void stop() {
    reader.close();
    aws.close();
  }

  @Test
  void aSecretHasAnArnWithARandomSuffix() {
    assertThat(arn)
        .matches(
            "arn:aws:secretsmanager:eu-west-2:123456789012:secret:valuer/webhook-secret-[A-Za-z0-9]{6}");
  }

  @Test
  void theValueIsReadByNameByArnAndByPartialArn() {
    GetSecretValueResponse byName = reader.getSecretValue(r -> r.secretId("valuer/webhook-secret"));
    GetSecretValueResponse byArn = reader.getSecretValue(r -> r.secretId(arn));
    GetSecretValueResponse byPartialArn =
        reader.getSecretValue(r -> r.secretId(arn.substring(0, arn.length() - 7)));

    assertThat(byName.secretString()).isEqualTo("s3cr3t-value");
    assertThat(byName.arn()).isEqualTo(arn);
    assertThat(byName.name()).isEqualTo("valuer/webhook-secret");
    assertThat(byName.versionStages()).containsExactly("AWSCURRENT");
    assertThat(byName.versionId()).isNotBlank();
    assertThat(byName.createdDate()).isNotNull();
    assertThat(byArn.secretString()).isEqualTo("s3cr3t-value");
    assertThat(byPartialArn.secretString()).isEqualTo("s3cr3t-value");
    assertThat(
            reader
                .getSecretValue(r -> r.secretId(arn).versionId(byName.versionId()))
                .secretString())
        .isEqualTo("s3cr3t-value");
  }

  @Test
  void unknownSecretsAndVersionsAreNotFound() {
    assertThatThrownBy(() -> reader.getSecretValue(r -> r.secretId("nope")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Secrets Manager can't find the specified secret.");
    assertThatThrownBy(
            () -> reader.getSecretValue(r -> r.secretId(arn).versionStage("AWSPREVIOUS")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> reader.getSecretValue(r -> r.secretId(arn).versionId("v-other")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void readingIsAuthorizedOnTheSecretArn() {
    reader.getSecretValue(r -> r.secretId("valuer/webhook-secret"));

    assertThat(aws.authorizer.decisions())
        .contains(READER + " secretsmanager:GetSecretValue " + arn);
    assertThatThrownBy(() -> reader.describeSecret(r -> r.secretId(arn)))
        .isInstanceOfSatisfying(
            SecretsManagerException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
  }

  @Test
  void aSecretIsDescribedWithoutItsValue() {
    try (SecretsManagerClient app = aws.secretsManager(APP_KEY)) {
      DescribeSecretResponse described =
          app.describeSecret(r -> r.secretId("valuer/webhook-secret"));

      assertThat(described.arn()).isEqualTo(arn);
      assertThat(described.name()).isEqualTo("valuer/webhook-secret");
      assertThat(described.versionIdsToStages()).hasSize(1);
      assertThat(described.toString()).doesNotContain("s3cr3t-value");
    }
  }

  @Test
  void aGeneratedSecretIsServedLikeAnyOther() {
    String generated =
        com.valuationflow.infra.local.secrets.LocalSecretsManager.generateSecretString(
            new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode());
    String generatedArn = aws.secrets.createSecret("generated", generated);

    assertThat(reader.getSecretValue(r -> r.secretId(generatedArn)).secretString())
        .isEqualTo(generated)
        .hasSize(32);
  }
}
