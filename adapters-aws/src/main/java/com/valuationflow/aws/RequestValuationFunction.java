package com.valuationflow.aws;

import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.usecase.RequestValuation;
import com.valuationflow.domain.usecase.RequestValuationPayload;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The RequestValuation Lambda function that the loan processor's {@code
 * lambda:invoke.waitForTaskToken} task invokes with {@code
 * {"taskToken":"...","loanApplication":{"applicationReference":"...","property":{"nameOrNumber":
 * "...","postcode":"..."},"valuationTimeoutSeconds":3600}}}: turns the payload into a {@link
 * RequestValuation.Command} and runs the use case, which requests each task at most once however
 * often it is delivered.
 *
 * <p>Lambda's entry point is {@code RequestValuationHandler}, in the unnamed package, which turns
 * this class's failures into the error names the workflow knows. Lambda creates one instance per
 * execution environment, so the AWS clients are built once per environment.
 */
public final class RequestValuationFunction {

  /** Name of the DynamoDB table of parked task tokens. Required. */
  public static final String TASK_TOKEN_TABLE = "TASK_TOKEN_TABLE";

  /** URL the valuation requests are posted to. Required. */
  public static final String VALUER_URL = "VALUER_URL";

  /** Our valuation webhook, handed to the valuer with the correlation key added. Required. */
  public static final String CALLBACK_URL = "CALLBACK_URL";

  /** Limit on one valuer request in milliseconds; {@link #DEFAULT_VALUER_TIMEOUT} if unset. */
  public static final String VALUER_TIMEOUT_MS = "VALUER_TIMEOUT_MS";

  /**
   * The loan processor's state machine. Optional: with it, a resume whose send gets {@code
   * TaskTimedOut} is settled from the execution's history; without it, such a callback is let go
   * for the app to settle when the valuer retries it.
   */
  public static final String STATE_MACHINE_ARN = "STATE_MACHINE_ARN";

  /** The region, which the Lambda runtime sets. Required. */
  public static final String AWS_REGION = "AWS_REGION";

  public static final Duration DEFAULT_VALUER_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration MAX_VALUER_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final RequestValuation requestValuation;
  private final Runnable primer;

  /**
   * The function configured from the environment variables named by this class's constants. The AWS
   * SDK itself honours {@code AWS_ENDPOINT_URL_DYNAMODB} and {@code AWS_ENDPOINT_URL_SFN} (or
   * {@code AWS_ENDPOINT_URL}) to reach local emulators.
   *
   * @throws IllegalStateException if a required variable is missing or a variable is invalid; the
   *     message names it
   */
  public RequestValuationFunction() {
    this(Wiring.fromEnvironment(System.getenv()));
  }

  public RequestValuationFunction(RequestValuation requestValuation) {
    this(new Wiring(requestValuation, () -> {}));
  }

  private RequestValuationFunction(Wiring wiring) {
    this.requestValuation =
        Objects.requireNonNull(wiring.requestValuation(), "'requestValuation' must not be null");
    this.primer = wiring.primer();
  }

  /**
   * Warms the invocation's AWS calls without changing anything ({@link FunctionPriming}), for
   * Lambda to run while the function initializes: with SnapStart, before its snapshot. Never fails.
   */
  public void prime() {
    primer.run();
  }

  /**
   * @return what the request came to, such as {@code
   *     {"outcome":"ValuationRequested","valuationReference":"..."}}
   * @throws InvalidLoanApplicationException if the payload is not a valid loan application
   * @throws com.valuationflow.domain.port.ServiceUnavailableException if the token store or Step
   *     Functions cannot be reached now
   */
  public Map<String, Object> request(Map<String, Object> payload) {
    return RequestValuationPayload.describe(requestValuation.request(command(payload)));
  }

  /** The use case, and how to warm its AWS calls. */
  private record Wiring(RequestValuation requestValuation, Runnable primer) {

    static Wiring fromEnvironment(Map<String, String> environment) {
      String region = required(environment, AWS_REGION);
      String tableName = required(environment, TASK_TOKEN_TABLE);
      AwsClients aws = AwsClients.forRegion(region);
      DynamoDbClient dynamoDb = aws.newDynamoDbClient();
      SfnClient sfn = aws.newSfnClient();
      Optional<StateMachineArn> stateMachine = stateMachine(environment);
      return new Wiring(
          RequestValuationFunction.fromEnvironment(
              environment, dynamoDb, sfn, stateMachine, tableName),
          new FunctionPriming(dynamoDb, tableName, sfn, stateMachine)::prime);
    }
  }

  /** The use case wired to DynamoDB, Step Functions and the valuer, as the variables say. */
  static RequestValuation fromEnvironment(Map<String, String> environment) {
    AwsClients aws = AwsClients.forRegion(required(environment, AWS_REGION));
    return fromEnvironment(
        environment,
        aws.newDynamoDbClient(),
        aws.newSfnClient(),
        stateMachine(environment),
        required(environment, TASK_TOKEN_TABLE));
  }

  private static RequestValuation fromEnvironment(
      Map<String, String> environment,
      DynamoDbClient dynamoDb,
      SfnClient sfn,
      Optional<StateMachineArn> stateMachine,
      String tableName) {
    URI valuerUrl = httpUrl(environment, VALUER_URL);
    URI callbackUrl = httpUrl(environment, CALLBACK_URL);
    Duration valuerTimeout = milliseconds(environment, VALUER_TIMEOUT_MS, DEFAULT_VALUER_TIMEOUT);
    Clock clock = Clock.systemUTC();
    return new RequestValuation(
        new JdkHttpValuer(
            valuerUrl,
            valuerTimeout.compareTo(MAX_VALUER_CONNECT_TIMEOUT) < 0
                ? valuerTimeout
                : MAX_VALUER_CONNECT_TIMEOUT,
            valuerTimeout),
        new DynamoDbTaskTokenStore(
            dynamoDb, tableName, clock, DynamoDbTaskTokenStore.DEFAULT_RETENTION),
        stateMachine
            .map(machine -> new StepFunctionsWorkflowResumer(sfn, machine))
            .orElseGet(() -> new StepFunctionsWorkflowResumer(sfn)),
        callbackUrl,
        clock);
  }

  private static Optional<StateMachineArn> stateMachine(Map<String, String> environment) {
    String arn = environment.get(STATE_MACHINE_ARN);
    if (arn == null || arn.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(StateMachineArn.of(arn.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "environment variable "
              + STATE_MACHINE_ARN
              + " is no state machine ARN: "
              + e.getMessage(),
          e);
    }
  }

  static RequestValuation.Command command(Map<String, ?> payload) {
    if (payload == null) {
      throw new InvalidLoanApplicationException("'payload' must be a JSON object");
    }
    try {
      return RequestValuationPayload.parse(payload);
    } catch (InvalidValueException e) {
      throw new InvalidLoanApplicationException(e.getMessage());
    }
  }

  private static String required(Map<String, String> environment, String name) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("environment variable " + name + " is not set");
    }
    return value.strip();
  }

  private static URI httpUrl(Map<String, String> environment, String name) {
    String value = required(environment, name);
    URI url;
    try {
      url = new URI(value);
    } catch (URISyntaxException e) {
      url = null;
    }
    if (url == null || !JdkHttpValuer.isHttpUrl(url)) {
      throw new IllegalStateException(
          "environment variable " + name + " must be an absolute http(s) URL, was '" + value + "'");
    }
    return url;
  }

  private static Duration milliseconds(
      Map<String, String> environment, String name, Duration defaultValue) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    long millis;
    try {
      millis = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      millis = 0;
    }
    if (millis < 1) {
      throw new IllegalStateException(
          "environment variable "
              + name
              + " must be a positive whole number of milliseconds, was '"
              + value
              + "'");
    }
    return Duration.ofMillis(millis);
  }
}
