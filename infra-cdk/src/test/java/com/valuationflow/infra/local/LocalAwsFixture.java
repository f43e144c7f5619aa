package com.valuationflow.infra.local;

import com.valuationflow.infra.local.secrets.LocalSecretsManager;
import com.valuationflow.infra.local.stepfunctions.LocalStepFunctions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * A gateway serving local Step Functions (a 20 ms ASL second) and Secrets Manager, and DynamoDB
 * Local if given, to four principals: the app (allowed everything), the valuer (allowed only the
 * {@code states:SendTask*} actions), a reader (allowed {@code dynamodb:GetItem} and {@code
 * secretsmanager:GetSecretValue}) and nobody (allowed nothing). Clients are the real SDK's.
 */
final class LocalAwsFixture implements AutoCloseable {

  static final String REGION = "eu-west-2";
  static final String ACCOUNT = "123456789012";
  static final String APP = "arn:aws:iam::123456789012:role/app";
  static final String VALUER = "arn:aws:iam::123456789012:role/valuer";
  static final String NOBODY = "arn:aws:iam::123456789012:user/nobody";
  static final String READER = "arn:aws:iam::123456789012:role/reader";
  static final String APP_KEY = "AKIAAPPAPPAPPAPPAPP1";
  static final String VALUER_KEY = "AKIAVALUERVALUERVAL1";
  static final String NOBODY_KEY = "AKIANOBODYNOBODYNOB1";
  static final String READER_KEY = "AKIAREADERREADERREA1";
  static final String UNKNOWN_KEY = "AKIAUNKNOWNUNKNOWNU1";
  static final Duration SECOND = Duration.ofMillis(20);

  final RecordingAuthorizer authorizer =
      new RecordingAuthorizer(
          Map.of(
              APP,
              List.of(""),
              VALUER,
              List.of("states:SendTask"),
              READER,
              List.of("dynamodb:GetItem", "secretsmanager:GetSecretValue"),
              NOBODY,
              List.of()));
  final LocalStepFunctions stepFunctions =
      LocalStepFunctions.builder(REGION, ACCOUNT).secondLength(SECOND).build();
  final LocalSecretsManager secrets = new LocalSecretsManager(REGION, ACCOUNT);
  final Faults faults = new Faults();
  final LocalAwsGateway gateway;

  LocalAwsFixture() {
    this(null);
  }

  LocalAwsFixture(URI dynamoDb) {
    LocalAwsGateway.Builder builder =
        LocalAwsGateway.builder(REGION, ACCOUNT)
            .service(stepFunctions)
            .service(secrets)
            .authorizer(authorizer)
            .faults(faults)
            .accessKeys(Map.of(APP_KEY, APP, VALUER_KEY, VALUER))
            .accessKey(NOBODY_KEY, NOBODY)
            .accessKey(READER_KEY, READER);
    if (dynamoDb != null) {
      builder.dynamoDb(dynamoDb);
    }
    gateway = builder.start();
  }

  SfnClient sfn(String accessKey) {
    return configure(SfnClient.builder(), accessKey).build();
  }

  DynamoDbClient dynamoDb(String accessKey) {
    return configure(DynamoDbClient.builder(), accessKey).build();
  }

  SecretsManagerClient secretsManager(String accessKey) {
    return configure(SecretsManagerClient.builder(), accessKey).build();
  }

  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, String accessKey) {
    return builder
        .endpointOverride(gateway.endpoint())
        .region(Region.of(REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKey, "secret-of-" + accessKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(
            config ->
                config
                    .apiCallTimeout(Duration.ofSeconds(10))
                    .retryStrategy(AwsRetryStrategy.doNotRetry()));
  }

  @Override
  public void close() {
    gateway.close();
    stepFunctions.close();
  }

  /** The execution once it is no longer running, waiting at most 10 s. */
  static DescribeExecutionResponse awaitEnd(SfnClient sfn, String executionArn) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (true) {
      DescribeExecutionResponse execution =
          sfn.describeExecution(r -> r.executionArn(executionArn));
      if (execution.status() != ExecutionStatus.RUNNING) {
        return execution;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(executionArn + " still running after 10 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
