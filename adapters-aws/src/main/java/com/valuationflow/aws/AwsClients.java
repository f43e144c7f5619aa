package com.valuationflow.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * How the AWS clients are built: region, optional endpoint override, credentials, timeouts and the
 * standard retry strategy (3 attempts, backoff with jitter, throttling retried). Immutable; each
 * {@code new...Client()} call builds a client that the caller keeps for the life of the application
 * and closes on shutdown.
 *
 * <pre>{@code
 * AwsClients aws = AwsClients.forRegion("eu-west-2");
 * try (SfnClient sfn = aws.newSfnClient()) { ... }
 * }</pre>
 */
public final class AwsClients {

  /** Default limit on one call, retries included. */
  public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(10);

  /** Default limit on one HTTP attempt. */
  public static final Duration DEFAULT_API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

  private final Region region;
  private final Optional<URI> endpointOverride;
  private final Optional<AwsCredentialsProvider> credentials;
  private final Duration apiCallTimeout;
  private final Duration apiCallAttemptTimeout;
  private final List<ExecutionInterceptor> interceptors;

  private AwsClients(
      Region region,
      Optional<URI> endpointOverride,
      Optional<AwsCredentialsProvider> credentials,
      Duration apiCallTimeout,
      Duration apiCallAttemptTimeout) {
    this(region, endpointOverride, credentials, apiCallTimeout, apiCallAttemptTimeout, List.of());
  }

  private AwsClients(
      Region region,
      Optional<URI> endpointOverride,
      Optional<AwsCredentialsProvider> credentials,
      Duration apiCallTimeout,
      Duration apiCallAttemptTimeout,
      List<ExecutionInterceptor> interceptors) {
    this.region = region;
    this.endpointOverride = endpointOverride;
    this.credentials = credentials;
    this.apiCallTimeout = apiCallTimeout;
    this.apiCallAttemptTimeout = apiCallAttemptTimeout;
    this.interceptors = interceptors;
  }

  /**
   * Clients for the region, with credentials from the SDK's default provider chain and the default
   * timeouts.
   */
  public static AwsClients forRegion(String region) {
    Objects.requireNonNull(region, "'region' must not be null");
    if (region.isBlank()) {
      throw new IllegalArgumentException("'region' must not be blank");
    }
    return new AwsClients(
        Region.of(region),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_API_CALL_TIMEOUT,
        DEFAULT_API_CALL_ATTEMPT_TIMEOUT);
  }

  /** Sends requests to this endpoint instead of the region's, such as a local emulator. */
  public AwsClients withEndpointOverride(URI endpoint) {
    Objects.requireNonNull(endpoint, "'endpoint' must not be null");
    if (!endpoint.isAbsolute() || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "'endpoint' must be an absolute URI with a host, was '" + endpoint + "'");
    }
    return new AwsClients(
        region,
        Optional.of(endpoint),
        credentials,
        apiCallTimeout,
        apiCallAttemptTimeout,
        interceptors);
  }

  /** Uses these credentials instead of the default provider chain. */
  public AwsClients withCredentials(AwsCredentialsProvider provider) {
    Objects.requireNonNull(provider, "'provider' must not be null");
    return new AwsClients(
        region,
        endpointOverride,
        Optional.of(provider),
        apiCallTimeout,
        apiCallAttemptTimeout,
        interceptors);
  }

  /** Uses fixed credentials, as local emulators accept any. */
  public AwsClients withStaticCredentials(String accessKeyId, String secretAccessKey) {
    return withCredentials(
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
  }

  /**
   * @param apiCallTimeout limit on a whole call, retries and backoff included
   * @param apiCallAttemptTimeout limit on one HTTP attempt; at most {@code apiCallTimeout}
   */
  public AwsClients withTimeouts(Duration apiCallTimeout, Duration apiCallAttemptTimeout) {
    requirePositive(apiCallTimeout, "apiCallTimeout");
    requirePositive(apiCallAttemptTimeout, "apiCallAttemptTimeout");
    if (apiCallAttemptTimeout.compareTo(apiCallTimeout) > 0) {
      throw new IllegalArgumentException(
          "'apiCallAttemptTimeout' must not exceed 'apiCallTimeout'");
    }
    return new AwsClients(
        region, endpointOverride, credentials, apiCallTimeout, apiCallAttemptTimeout, interceptors);
  }

  /**
   * Adds an interceptor that hears every call of the clients built from here, such as one counting
   * calls by operation and result for metrics.
   */
  public AwsClients withInterceptor(ExecutionInterceptor interceptor) {
    Objects.requireNonNull(interceptor, "'interceptor' must not be null");
    List<ExecutionInterceptor> added = new ArrayList<>(interceptors);
    added.add(interceptor);
    return new AwsClients(
        region,
        endpointOverride,
        credentials,
        apiCallTimeout,
        apiCallAttemptTimeout,
        List.copyOf(added));
  }

  public SfnClient newSfnClient() {
    return configure(SfnClient.builder()).build();
  }

  public DynamoDbClient newDynamoDbClient() {
    return configure(DynamoDbClient.builder()).build();
  }

  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
    builder
        .region(region)
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(min(CONNECTION_TIMEOUT, apiCallAttemptTimeout))
                .socketTimeout(apiCallAttemptTimeout))
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .apiCallTimeout(apiCallTimeout)
                .apiCallAttemptTimeout(apiCallAttemptTimeout)
                .retryStrategy(RetryMode.STANDARD)
                .executionInterceptors(interceptors)
                .build());
    endpointOverride.ifPresent(builder::endpointOverride);
    credentials.ifPresent(builder::credentialsProvider);
    return builder;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, () -> "'" + name + "' must not be null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'" + name + "' must be positive, was " + duration);
    }
  }
}
