package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

class AwsClientsTest {

  private static final AwsClients LOCAL =
      AwsClients.forRegion("eu-west-2")
          .withEndpointOverride(URI.create("http://127.0.0.1:4566"))
          .withStaticCredentials("local", "local");

  @Test
  void buildsClientsWithTheRegionEndpointTimeoutsAndStandardRetries() {
    try (SfnClient sfn =
        LOCAL.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)).newSfnClient()) {
      assertThat(sfn.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_2);
      assertThat(sfn.serviceClientConfiguration().endpointOverride())
          .contains(URI.create("http://127.0.0.1:4566"));
      ClientOverrideConfiguration config = sfn.serviceClientConfiguration().overrideConfiguration();
      assertThat(config.apiCallTimeout()).contains(Duration.ofSeconds(5));
      assertThat(config.apiCallAttemptTimeout()).contains(Duration.ofSeconds(1));
      assertThat(config.retryStrategy())
          .get()
          .isInstanceOfSatisfying(
              StandardRetryStrategy.class,
              retries -> assertThat(retries.maxAttempts()).isEqualTo(3));
    }
  }

  @Test
  void setsTheDefaultTimeouts() {
    try (DynamoDbClient dynamoDb = LOCAL.newDynamoDbClient()) {
      ClientOverrideConfiguration config =
          dynamoDb.serviceClientConfiguration().overrideConfiguration();
      assertThat(config.apiCallTimeout()).contains(AwsClients.DEFAULT_API_CALL_TIMEOUT);
      assertThat(config.apiCallAttemptTimeout())
          .contains(AwsClients.DEFAULT_API_CALL_ATTEMPT_TIMEOUT);
    }
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThatThrownBy(() -> AwsClients.forRegion(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LOCAL.withEndpointOverride(URI.create("localhost:4566")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LOCAL.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LOCAL.withTimeouts(Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
