package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.aws.LocalStepFunctions.Fault;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.WorkflowExecutions;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.domain.port.WorkflowStarter.StartOutcome;
import com.valuationflow.domain.port.WorkflowStarterContract;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The Step Functions starter passes the port's contract, and maps the service's errors. */
class StepFunctionsWorkflowStarterTest extends WorkflowStarterContract {

  private static final LoanApplication APPLICATION = LoanApplication.of("app-1", "12", "PO1 1CE");

  private static LocalStepFunctions local;
  private static SfnClient sfn;
  private static StepFunctionsWorkflowStarter starter;

  @BeforeAll
  static void startLocalStepFunctions() {
    local = LocalStepFunctions.start();
    sfn = local.newClient();
    starter = new StepFunctionsWorkflowStarter(sfn, LocalStepFunctions.STATE_MACHINE);
  }

  @AfterAll
  static void stopLocalStepFunctions() {
    sfn.close();
    local.close();
  }

  @BeforeEach
  void reset() {
    local.reset();
  }

  @Override
  protected WorkflowStarter starter() {
    return starter;
  }

  @Override
  protected WorkflowExecutions executions() {
    return new StepFunctionsWorkflowExecutions(sfn, LocalStepFunctions.STATE_MACHINE);
  }

  @Test
  void aRepeatedStartIsSentAgainSoTheServiceDecides() {
    starter.start(INPUT);
    starter.start(INPUT);

    assertThat(local.requests("StartExecution")).isEqualTo(2);
  }

  @Test
  void theSameApplicationConflictsOnceItsExecutionHasClosed() {
    starter.start(new WorkflowInput(APPLICATION, Duration.ofHours(1)));
    TaskToken token = TaskToken.of(local.issueTaskToken("app-1"));
    new StepFunctionsWorkflowResumer(sfn).succeed(token, new TaskOutput("{}"));

    assertThat(starter.start(new WorkflowInput(APPLICATION, Duration.ofHours(1))))
        .isEqualTo(StartOutcome.CONFLICTS_WITH_EXISTING);
  }

  @Test
  void theInputIsValidJsonWhateverTheAddressHoldsAndReadsBackUnchanged() {
    String nameOrNumber = "Flat \"B\", C:\\\\ 😀 — ü\u2028";
    LoanApplication application = LoanApplication.of("app-2", nameOrNumber, "sw1a 1aa");

    assertThat(starter.start(new WorkflowInput(application, Duration.ofHours(1))))
        .isEqualTo(StartOutcome.STARTED);

    JsonObject input = new JsonObject(local.input("app-2").orElseThrow());
    assertThat(input.getString("applicationReference")).isEqualTo("app-2");
    assertThat(input.getJsonObject("property").getString("nameOrNumber")).isEqualTo(nameOrNumber);
    assertThat(input.getJsonObject("property").getString("postcode")).isEqualTo("sw1a 1aa");
  }

  @Test
  void throttlingIsRetriedByTheSdk() {
    local.failNext(1, Fault.THROTTLING);

    assertThat(starter.start(new WorkflowInput(APPLICATION, Duration.ofHours(1))))
        .isEqualTo(StartOutcome.STARTED);
    assertThat(
            new StepFunctionsWorkflowExecutions(sfn, LocalStepFunctions.STATE_MACHINE)
                .find(ApplicationReference.of("app-1")))
        .isPresent();
  }

  @Test
  void serverErrorsAreServiceUnavailable() {
    local.failNext(3, Fault.SERVER_ERROR_QUOTING_REQUEST);

    assertThatThrownBy(() -> starter.start(new WorkflowInput(APPLICATION, Duration.ofHours(1))))
        .isInstanceOf(WorkflowServiceUnavailableException.class)
        .hasMessageContaining("DescribeExecution")
        .hasMessageContaining("InternalFailure");
  }

  @Test
  void anUnknownStateMachineIsServiceUnavailable() {
    StepFunctionsWorkflowStarter misconfigured =
        new StepFunctionsWorkflowStarter(
            sfn, StateMachineArn.of("arn:aws:states:eu-west-2:123456789012:stateMachine:nope"));

    assertThatThrownBy(
            () -> misconfigured.start(new WorkflowInput(APPLICATION, Duration.ofHours(1))))
        .isInstanceOf(WorkflowServiceUnavailableException.class)
        .hasMessageContaining("StartExecution")
        .hasMessageContaining("StateMachineDoesNotExist");
  }
}
