package com.valuationflow.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionUrl;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.JitterType;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Wait;
import software.amazon.awscdk.services.stepfunctions.WaitTime;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * A mock property valuer on AWS, for trying the loan processor without a real one, behaving as the
 * app's own mock valuer does, trigger for trigger. A public function URL ({@code intake.js}) takes
 * valuation requests and answers {@code 202 {"valuationReference"}}; each callback is then one
 * execution of a Standard state machine, named after the valuation reference, that waits ({@code
 * delaySeconds} of its input) and posts the callback ({@code callback.js}), signed the Standard
 * Webhooks way with a generated secret, retried with exponential backoff and full jitter while the
 * webhook cannot take it.
 */
public final class MockValuerStack extends Stack {

  /** The CDK context key of the delay before the callback, in seconds. */
  public static final String DELAY_CONTEXT = "mockValuerDelaySeconds";

  public static final int DEFAULT_DELAY_SECONDS = 6;

  /**
   * The CDK context key of the loan processor's valuation timeout, in seconds: the {@code Late
   * callback} trigger calls back that long plus the delay after the request. Match the app's {@code
   * VALUATION_TIMEOUT_SECONDS}.
   */
  public static final String VALUATION_TIMEOUT_CONTEXT = "valuationTimeoutSeconds";

  public static final int DEFAULT_VALUATION_TIMEOUT_SECONDS = 3600;

  /** The functions' code, relative to this module's directory, where the CDK app runs. */
  public static final String CODE_DIRECTORY = "src/main/lambda/mock-valuer";

  /** What the code directory may hold that is not the functions' code. */
  static final List<String> CODE_EXCLUDES =
      List.of("node_modules", "test", "tests", "*.test.js", ".*");

  /**
   * How much later than the loan processor's reply timeout the {@code Slow reply} trigger replies.
   */
  static final int SLOW_REPLY_MARGIN_MS = 500;

  /** The error {@code callback.js} throws when another attempt may succeed. */
  public static final String CALLBACK_FAILED = "CallbackFailed";

  /** The signing key's length in base64 characters: a multiple of 4, so 36 bytes, no padding. */
  static final int SECRET_LENGTH = 48;

  private final StateMachine stateMachine;
  private final FunctionUrl valuerUrl;
  private final Secret webhookSecret;

  public MockValuerStack(Construct scope, String id, StackProps props) {
    super(scope, id, props);
    int delaySeconds = seconds(scope, DELAY_CONTEXT, DEFAULT_DELAY_SECONDS, 0, 86_400);
    int valuationTimeoutSeconds =
        seconds(scope, VALUATION_TIMEOUT_CONTEXT, DEFAULT_VALUATION_TIMEOUT_SECONDS, 1, 31_536_000);

    // Only letters and digits: the generated text is itself the base64 of a 36-byte key.
    webhookSecret =
        Secret.Builder.create(this, "WebhookSecret")
            .description(
                "The mock valuer's webhook signing key in base64; the app's WEBHOOK_SECRET is"
                    + " whsec_ followed by it")
            .generateSecretString(
                SecretStringGenerator.builder()
                    .passwordLength(SECRET_LENGTH)
                    .excludePunctuation(true)
                    .includeSpace(false)
                    .build())
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();

    Function callback =
        nodeFunction(
            "CallbackFunction",
            "Delivers one mock valuer callback, signed, to its callback URL",
            "callback.handler");
    // The first delivery attempt waits up to 1 s before the next, doubling; 8 attempts in all.
    // After an early callback's first attempt (made by the intake) the rest start at 2 s.
    LambdaInvoke callBack = callBack("CallBack", callback, 1, 7);
    LambdaInvoke callBackAgain = callBack("CallBackAgain", callback, 2, 6);
    stateMachine =
        StateMachine.Builder.create(this, "MockValuer")
            // A fixed name, so that the intake may read its executions without a reference back.
            .stateMachineName(getStackName())
            .stateMachineType(StateMachineType.STANDARD)
            .comment("Mock valuer: waits, then delivers a signed callback, retrying")
            .definitionBody(
                DefinitionBody.fromChainable(
                    Wait.Builder.create(this, "Valuing")
                        .time(WaitTime.secondsPath("$.delaySeconds"))
                        .build()
                        .next(
                            Choice.Builder.create(this, "FirstAttemptMade")
                                .build()
                                .when(
                                    Condition.and(
                                        Condition.isPresent("$.attemptsMade"),
                                        Condition.numberEquals("$.attemptsMade", 1)),
                                    callBackAgain)
                                .otherwise(callBack))))
            .build();

    Function intake =
        nodeFunction(
            "IntakeFunction", "Accepts valuation requests for the mock valuer", "intake.handler");
    intake.addEnvironment("STATE_MACHINE_ARN", stateMachine.getStateMachineArn());
    intake.addEnvironment("DELAY_SECONDS", Integer.toString(delaySeconds));
    intake.addEnvironment("VALUATION_TIMEOUT_SECONDS", Integer.toString(valuationTimeoutSeconds));
    intake.addEnvironment(
        "SLOW_REPLY_MS",
        Integer.toString(
            LoanProcessorStack.Settings.fromContext(scope.getNode()).valuerTimeoutMillis()
                + SLOW_REPLY_MARGIN_MS));
    stateMachine.grantStartExecution(intake);
    // A repeated Idempotency-Key finds the first request's execution.
    intake.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("states:DescribeExecution"))
            .resources(
                List.of(
                    formatArn(
                        ArnComponents.builder()
                            .service("states")
                            .resource("execution")
                            .resourceName(getStackName() + ":*")
                            .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                            .build())))
            .build());
    valuerUrl =
        intake.addFunctionUrl(
            FunctionUrlOptions.builder().authType(FunctionUrlAuthType.NONE).build());

    CfnOutput.Builder.create(this, "ValuerUrl")
        .description("VALUER_URL: where the loan processor requests valuations")
        .value(valuerUrl.getUrl())
        .build();
    CfnOutput.Builder.create(this, "MockValuerStateMachineArn")
        .description("The mock valuer's executions, one per callback message")
        .value(stateMachine.getStateMachineArn())
        .build();
    CfnOutput.Builder.create(this, "WebhookSecretArn")
        .description(
            "The secret the mock valuer signs callbacks with: set the app's WEBHOOK_SECRET to"
                + " whsec_ followed by its SecretString (aws secretsmanager get-secret-value"
                + " --secret-id <this ARN> --query SecretString --output text)")
        .value(webhookSecret.getSecretArn())
        .build();
  }

  public StateMachine stateMachine() {
    return stateMachine;
  }

  /** The public URL valuation requests are posted to. */
  public String valuerUrl() {
    return valuerUrl.getUrl();
  }

  /** The secret callbacks are signed with: its value is the base64 key, without {@code whsec_}. */
  public Secret webhookSecret() {
    return webhookSecret;
  }

  /**
   * One delivery attempt of the callback function, retried on {@value #CALLBACK_FAILED} as the
   * app's mock valuer retries: up to {@code firstIntervalSeconds} before the next attempt,
   * doubling, at most 300 s, each wait drawn at random from zero up to that (full jitter).
   */
  private LambdaInvoke callBack(
      String id, Function callback, int firstIntervalSeconds, int retries) {
    LambdaInvoke task =
        LambdaInvoke.Builder.create(this, id)
            .lambdaFunction(callback)
            .outputPath("$.Payload")
            .build();
    task.addRetry(
        RetryProps.builder()
            .errors(List.of(CALLBACK_FAILED))
            .interval(Duration.seconds(firstIntervalSeconds))
            .backoffRate(2)
            .maxAttempts(retries)
            .maxDelay(Duration.seconds(300))
            .jitterStrategy(JitterType.FULL)
            .build());
    return task;
  }

  /** A function of the mock valuer's code that may read the signing secret, and nothing else. */
  private Function nodeFunction(String id, String description, String handler) {
    LogGroup logGroup =
        LogGroup.Builder.create(this, id + "Logs")
            .retention(RetentionDays.ONE_WEEK)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    Function function =
        Function.Builder.create(this, id)
            .description(description)
            .runtime(Runtime.NODEJS_22_X)
            .handler(handler)
            .code(
                Code.fromAsset(
                    CODE_DIRECTORY, AssetOptions.builder().exclude(CODE_EXCLUDES).build()))
            .memorySize(256)
            // One delivery attempt waits at most 10 s for the webhook; a slow reply at most 20.5 s.
            .timeout(Duration.seconds(30))
            .environment(Map.of("WEBHOOK_SECRET_ARN", webhookSecret.getSecretArn()))
            .logGroup(logGroup)
            .role(FunctionRoles.writingTo(this, id + "Role", logGroup))
            .build();
    // GetSecretValue on this one secret: not grantRead, which adds DescribeSecret.
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("secretsmanager:GetSecretValue"))
            .resources(List.of(webhookSecret.getSecretArn()))
            .build());
    return function;
  }

  private static int seconds(Construct scope, String key, int defaultValue, int min, int max) {
    Object value = scope.getNode().tryGetContext(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      int seconds = Integer.parseInt(value.toString().strip());
      if (seconds >= min && seconds <= max) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Context '" + key + "' must be " + min + " to " + max + " seconds, was '" + value + "'");
  }
}
