package com.valuationflow.app.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS SDK call of the clients it is added to, by service, operation and result ({@code
 * success}, {@code throttled}, {@code error}), with the AWS error code; see {@link
 * ServiceMetrics#awsCall}. One per app, shared by its clients.
 */
public final class AwsCallMetrics implements ExecutionInterceptor {

  /** Error codes that mean "slow down", whatever the service. */
  private static final Set<String> THROTTLING =
      Set.of(
          "ThrottlingException",
          "Throttling",
          "TooManyRequestsException",
          "ProvisionedThroughputExceededException",
          "RequestLimitExceeded",
          "LimitExceededException");

  private static final ExecutionAttribute<Long> STARTED =
      new ExecutionAttribute<>("valuationflow.awsCallStarted");

  private final ServiceMetrics metrics;

  public AwsCallMetrics(ServiceMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "'metrics' must not be null");
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    attributes.putAttribute(STARTED, System.nanoTime());
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    record(attributes, "success", "");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    Throwable failure = context.exception();
    String error = errorOf(failure);
    record(attributes, resultOf(failure, error), error);
  }

  /**
   * {@code throttled}; {@code rejected} when the service answered {@code 4xx}, which is often an
   * expected outcome (a conditional write refused, an execution that does not exist, a closed
   * task); {@code error} for {@code 5xx}, timeouts and no answer at all.
   */
  private static String resultOf(Throwable failure, String error) {
    if (isThrottling(failure, error)) {
      return "throttled";
    }
    if (failure instanceof SdkServiceException service
        && service.statusCode() >= 400
        && service.statusCode() < 500) {
      return "rejected";
    }
    return "error";
  }

  static String errorOf(Throwable failure) {
    if (failure instanceof AwsServiceException service
        && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorCode() != null) {
      return service.awsErrorDetails().errorCode();
    }
    if (failure instanceof SdkServiceException service) {
      return "Http" + service.statusCode();
    }
    if (failure instanceof ApiCallTimeoutException
        || failure instanceof ApiCallAttemptTimeoutException) {
      return "Timeout";
    }
    return "ClientError";
  }

  private static boolean isThrottling(Throwable failure, String error) {
    return THROTTLING.contains(error)
        || (failure instanceof SdkServiceException service && service.isThrottlingException());
  }

  private void record(ExecutionAttributes attributes, String result, String error) {
    Long started = attributes.getAttribute(STARTED);
    Duration took = Duration.ofNanos(started == null ? 0 : System.nanoTime() - started);
    metrics.awsCall(
        Objects.toString(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME), "unknown"),
        Objects.toString(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), "unknown"),
        result,
        error,
        took);
  }
}
