package com.valuationflow.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionUrl;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Wait;
import software.amazon.awscdk.services.stepfunctions.WaitTime;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * A mock property valuer on AWS, for trying the loan processor without a real one: a public
 * function URL takes valuation requests and answers {@code 202 {"valuationReference"}}; a Standard
 * state machine waits ({@code delaySeconds} of its input, by default 6 s) and then posts {@code
 * {valuationReference, propertyValue}} to the request's {@code callbackUrl}.
 */
public final class MockValuerStack extends Stack {

  /** The CDK context key of the delay before the callback, in seconds. */
  public static final String DELAY_CONTEXT = "mockValuerDelaySeconds";

  public static final int DEFAULT_DELAY_SECONDS = 6;

  private final StateMachine stateMachine;
  private final FunctionUrl valuerUrl;

  public MockValuerStack(Construct scope, String id, StackProps props) {
    super(scope, id, props);
    int delaySeconds = delaySeconds(scope);

    Function callback =
        nodeFunction(
            "CallbackFunction", "Posts the mock valuation to the callback URL", "callback");
    LambdaInvoke callBack =
        LambdaInvoke.Builder.create(this, "CallBack")
            .lambdaFunction(callback)
            .outputPath("$.Payload")
            .build();
    callBack.addRetry(
        RetryProps.builder()
            .errors(List.of("CallbackFailed"))
            .interval(Duration.seconds(5))
            .maxAttempts(3)
            .backoffRate(2)
            .build());
    stateMachine =
        StateMachine.Builder.create(this, "MockValuer")
            .stateMachineType(StateMachineType.STANDARD)
            .comment("Mock valuer: waits, then calls back with a valuation")
            .definitionBody(
                DefinitionBody.fromChainable(
                    Wait.Builder.create(this, "Valuing")
                        .time(WaitTime.secondsPath("$.delaySeconds"))
                        .build()
                        .next(callBack)))
            .build();

    Function intake =
        nodeFunction("IntakeFunction", "Accepts valuation requests for the mock valuer", "intake");
    intake.addEnvironment("STATE_MACHINE_ARN", stateMachine.getStateMachineArn());
    intake.addEnvironment("DELAY_SECONDS", Integer.toString(delaySeconds));
    stateMachine.grantStartExecution(intake);
    valuerUrl =
        intake.addFunctionUrl(
            FunctionUrlOptions.builder().authType(FunctionUrlAuthType.NONE).build());

    CfnOutput.Builder.create(this, "ValuerUrl")
        .description("VALUER_URL: where the loan processor requests valuations")
        .value(valuerUrl.getUrl())
        .build();
    CfnOutput.Builder.create(this, "MockValuerStateMachineArn")
        .description("The mock valuer's executions, one per valuation request")
        .value(stateMachine.getStateMachineArn())
        .build();
  }

  public StateMachine stateMachine() {
    return stateMachine;
  }

  /** The public URL valuation requests are posted to. */
  public String valuerUrl() {
    return valuerUrl.getUrl();
  }

  private Function nodeFunction(String id, String description, String script) {
    return Function.Builder.create(this, id)
        .description(description)
        .runtime(Runtime.NODEJS_22_X)
        .handler("index.handler")
        .code(Code.fromInline(script(script)))
        .memorySize(256)
        .timeout(Duration.seconds(15))
        .logGroup(
            LogGroup.Builder.create(this, id + "Logs")
                .retention(RetentionDays.ONE_WEEK)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build())
        .build();
  }

  static String script(String name) {
    String resource = "mockvaluer/" + name + ".js";
    try (InputStream in = MockValuerStack.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + resource, e);
    }
  }

  private static int delaySeconds(Construct scope) {
    Object value = scope.getNode().tryGetContext(DELAY_CONTEXT);
    if (value == null) {
      return DEFAULT_DELAY_SECONDS;
    }
    try {
      int seconds = Integer.parseInt(value.toString().strip());
      if (seconds >= 0 && seconds <= 86_400) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Context '" + DELAY_CONTEXT + "' must be 0 to 86400 seconds, was '" + value + "'");
  }
}
