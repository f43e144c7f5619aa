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
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * How the AWS clients are built: region, optional endpoint override, credentials, timeouts, the
 * HTTP client (the URL-connection client unless {@link #withHttpClient} names another) and the
 * standard retry strategy (3 attempts, backoff with jitter, throttling retried after a short wait:
 * see {@link #RETRY_STRATEGY}). Immutable; each {@code new...Client()} call builds a client that
 * the caller keeps for the life of the application and closes on shutdown.
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

  /**
   * The standard strategy's 3 attempts with shorter waits: up to 25 ms then 50 ms after an error,
   * up to 100 ms then 200 ms after throttling (the standard waits up to 1 s then 2 s). A caller
   * throttled past that gets an error at once, which the app answers {@code 503} with {@code
   * Retry-After}, rather than holding a thread for seconds while more calls pile up.
   */
  public static final RetryStrategy RETRY_STRATEGY =
      AwsRetryStrategy.standardRetryStrategy().toBuilder()
          .maxAttempts(3)
          .backoffStrategy(
              BackoffStrategy.exponentialDelay(Duration.ofMillis(25), Duration.ofMillis(500)))
          .throttlingBackoffStrategy(
              BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(1)))
          .build();

  private final Region region;
  private final Optional<URI> endpointOverride;
  private final Optional<AwsCredentialsProvider> credentials;
  private final Duration apiCallTimeout;
  private final Duration apiCallAttemptTimeout;
  private final Optional<SdkHttpClient.Builder<?>> httpClient;
  private final List<ExecutionInterceptor> interceptors;

  private AwsClients(
      Region region,
      Optional<URI> endpointOverride,
      Optional<AwsCredentialsProvider> credentials,
      Duration apiCallTimeout,
      Duration apiCallAttemptTimeout,
      Optional<SdkHttpClient.Builder<?>> httpClient,
      List<ExecutionInterceptor> interceptors) {
    this.region = region;
    this.endpointOverride = endpointOverride;
    this.credentials = credentials;
    this.apiCallTimeout = apiCallTimeout;
    this.apiCallAttemptTimeout = apiCallAttemptTimeout;
    this.httpClient = httpClient;
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
        DEFAULT_API_CALL_ATTEMPT_TIMEOUT,
        Optional.empty(),
        List.of());
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
        httpClient,
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
        httpClient,
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
        region,
        endpointOverride,
        credentials,
        apiCallTimeout,
        apiCallAttemptTimeout,
        httpClient,
        interceptors);
  }

  /**
   * Builds each client's HTTP client with this builder instead of the URL-connection client, such
   * as a pooled client sized for many calls at once; the builder's own timeouts apply, and each
   * client built gets an HTTP client of its own.
   */
  public AwsClients withHttpClient(SdkHttpClient.Builder<?> builder) {
    Objects.requireNonNull(builder, "'builder' must not be null");
    return new AwsClients(
        region,
        endpointOverride,
        credentials,
        apiCallTimeout,
        apiCallAttemptTimeout,
        Optional.of(builder),
        interceptors);
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
        httpClient,
        List.copyOf(added));
  }

  public Duration apiCallAttemptTimeout() {
    return apiCallAttemptTimeout;
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
            httpClient.orElseGet(
                () ->
                    UrlConnectionHttpClient.builder()
                        .connectionTimeout(connectionTimeout())
                        .socketTimeout(apiCallAttemptTimeout)))
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .apiCallTimeout(apiCallTimeout)
                .apiCallAttemptTimeout(apiCallAttemptTimeout)
                .retryStrategy(RETRY_STRATEGY)
                .executionInterceptors(interceptors)
                .build());
    endpointOverride.ifPresent(builder::endpointOverride);
    credentials.ifPresent(builder::credentialsProvider);
    return builder;
  }

  /** How long to wait for a connection: 2 s, or the attempt timeout if shorter. */
  public Duration connectionTimeout() {
    return min(CONNECTION_TIMEOUT, apiCallAttemptTimeout);
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
