package com.valuationflow.infra;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.stepfunctions.CatchProps;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.Errors;
import software.amazon.awscdk.services.stepfunctions.Fail;
import software.amazon.awscdk.services.stepfunctions.IChainable;
import software.amazon.awscdk.services.stepfunctions.IntegrationPattern;
import software.amazon.awscdk.services.stepfunctions.JitterType;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Succeed;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.amazon.awscdk.services.stepfunctions.Timeout;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * The loan processor's Standard state machine: RequestValuation invokes the function with a task
 * token and waits for the valuer's callback. State for state the definition the in-memory engine
 * runs, {@code loan-processor.asl.json}; a test holds the two equal.
 */
public final class LoanProcessorStateMachine extends Construct {

  static final String COMMENT =
      "Loan processor: requests a property valuation and waits for the valuer's callback";

  /**
   * The error the RequestValuation function fails with when its store or Step Functions cannot be
   * reached (the domain's {@code RequestValuationErrors.SERVICE_UNAVAILABLE}): retried with
   * backoff, then the execution fails with it.
   */
  static final String SERVICE_UNAVAILABLE = "ValuationServiceUnavailable";

  /**
   * The error the RequestValuation function fails with when its payload is no loan application it
   * can read (the domain's {@code RequestValuationErrors.INVALID_LOAN_APPLICATION}).
   */
  static final String INVALID_LOAN_APPLICATION = "InvalidLoanApplication";

  /** Where the RequestValuation task finds its timeout in the execution input. */
  static final String VALUATION_TIMEOUT_PATH = "$.valuationTimeoutSeconds";

  private final StateMachine stateMachine;

  /**
   * @param stateMachineName the machine's fixed name, so that the function's permission to resume
   *     its tasks can name the machine without referring to it
   * @param requestValuation the function the RequestValuation task invokes
   */
  public LoanProcessorStateMachine(
      Construct scope, String id, String stateMachineName, IFunction requestValuation) {
    super(scope, id);
    Objects.requireNonNull(stateMachineName, "'stateMachineName' must not be null");
    this.stateMachine =
        StateMachine.Builder.create(this, "Resource")
            .stateMachineName(stateMachineName)
            .stateMachineType(StateMachineType.STANDARD)
            .comment(COMMENT)
            .definitionBody(
                DefinitionBody.fromChainable(definition(this, requestValuation, payload())))
            .build();
  }

  public StateMachine stateMachine() {
    return stateMachine;
  }

  /**
   * The RequestValuation payload, {@code {"taskToken.$": "$$.Task.Token", "loanApplication.$":
   * "$"}}. CDK adds the {@code .$} suffix to keys whose value is a path token.
   */
  static TaskInput payload() {
    return TaskInput.fromObject(
        Map.of(
            "taskToken", JsonPath.getTaskToken(),
            "loanApplication", JsonPath.getEntirePayload()));
  }

  /** The states, with the given RequestValuation payload. */
  static IChainable definition(Construct scope, IFunction requestValuation, TaskInput payload) {
    Fail timedOut =
        Fail.Builder.create(scope, "ValuationServiceTimedOut")
            .error("ValuationServiceTimedOut")
            .cause("The valuer did not call back before the valuation timeout")
            .build();
    Fail failed =
        Fail.Builder.create(scope, "ValuationFailed")
            .error("ValuationFailed")
            .causePath("$.failure.Cause")
            .build();
    Fail unavailable =
        Fail.Builder.create(scope, "ValuerUnavailable")
            .error("ValuerUnavailable")
            .causePath("$.failure.Cause")
            .build();
    // Our own causes: the caught error's cause would show the function's error payload.
    Fail invalid =
        Fail.Builder.create(scope, INVALID_LOAN_APPLICATION)
            .error(INVALID_LOAN_APPLICATION)
            .cause("The valuation request could not read the loan application")
            .build();
    Fail serviceUnavailable =
        Fail.Builder.create(scope, SERVICE_UNAVAILABLE)
            .error(SERVICE_UNAVAILABLE)
            .cause(
                "The valuation service stayed unavailable through every retry of the valuation"
                    + " request")
            .build();
    Fail serviceError =
        Fail.Builder.create(scope, "ValuationServiceError")
            .error("ValuationServiceError")
            .cause("The valuation request failed unexpectedly")
            .build();

    LambdaInvoke requestValuationTask =
        LambdaInvoke.Builder.create(scope, "RequestValuation")
            .lambdaFunction(requestValuation)
            .integrationPattern(IntegrationPattern.WAIT_FOR_TASK_TOKEN)
            .payload(payload)
            .taskTimeout(Timeout.at(VALUATION_TIMEOUT_PATH))
            .resultPath("$.valuation")
            .retryOnServiceExceptions(true)
            .build();
    requestValuationTask.addRetry(
        RetryProps.builder()
            .errors(List.of("ValuerUnavailable"))
            .interval(Duration.seconds(2))
            .maxAttempts(3)
            .backoffRate(2)
            .build());
    requestValuationTask.addRetry(
        RetryProps.builder()
            .errors(List.of(SERVICE_UNAVAILABLE))
            .interval(Duration.seconds(1))
            .maxAttempts(6)
            .backoffRate(2)
            .maxDelay(Duration.seconds(8))
            .jitterStrategy(JitterType.FULL)
            .build());
    requestValuationTask.addCatch(timedOut, failureTo(Errors.TIMEOUT));
    requestValuationTask.addCatch(failed, failureTo("ValuationFailed"));
    requestValuationTask.addCatch(unavailable, failureTo("ValuerUnavailable"));
    requestValuationTask.addCatch(invalid, failureTo(INVALID_LOAN_APPLICATION));
    requestValuationTask.addCatch(serviceUnavailable, failureTo(SERVICE_UNAVAILABLE));
    requestValuationTask.addCatch(serviceError, failureTo(Errors.ALL));
    return requestValuationTask.next(Succeed.Builder.create(scope, "Valued").build());
  }

  private static CatchProps failureTo(String error) {
    return CatchProps.builder().errors(List.of(error)).resultPath("$.failure").build();
  }
}
