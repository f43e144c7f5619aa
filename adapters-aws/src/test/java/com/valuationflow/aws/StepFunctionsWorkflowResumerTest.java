package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.aws.LocalStepFunctions.Fault;
import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.domain.port.WorkflowResumer.ResumeOutcome;
import com.valuationflow.domain.port.WorkflowResumer.TaskClosure;
import com.valuationflow.domain.port.WorkflowResumerContract;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The Step Functions resumer passes the port's contract, and maps the service's errors. */
class StepFunctionsWorkflowResumerTest extends WorkflowResumerContract {

  private static final ApplicationReference APP_1 = ApplicationReference.of("app-1");

  private static LocalStepFunctions local;
  private static SfnClient sfn;
  private static StepFunctionsWorkflowResumer resumer;

  private TaskToken token;

  @BeforeAll
  static void startLocalStepFunctions() {
    local = LocalStepFunctions.start();
    sfn = local.newClient();
    resumer = new StepFunctionsWorkflowResumer(sfn, LocalStepFunctions.STATE_MACHINE);
  }

  @AfterAll
  static void stopLocalStepFunctions() {
    sfn.close();
    local.close();
  }

  @BeforeEach
  void waitingTask() {
    local.reset();
    LocalStepFunctions.startExecution(
        sfn, new WorkflowInput(LoanApplication.of("app-1", "12", "PO1 1CE"), Duration.ofHours(1)));
    token = TaskToken.of(local.issueTaskToken("app-1"));
  }

  @Override
  protected WorkflowResumer resumer() {
    return resumer;
  }

  @Override
  protected TaskToken aWaitingTask() {
    return TaskToken.of(local.issueTaskToken("app-1"));
  }

  @Override
  protected TaskToken aTokenNeverIssued() {
    return TaskToken.of(LocalStepFunctions.unknownToken());
  }

  @Test
  void aTokenNeverIssuedIsTaskDoesNotExist() {
    TaskToken unknown = TaskToken.of(LocalStepFunctions.unknownToken());

    assertThat(resumer.succeed(unknown, OUTPUT)).isEqualTo(ResumeOutcome.TASK_DOES_NOT_EXIST);
    assertThat(resumer.fail(unknown, FAILURE)).isEqualTo(ResumeOutcome.TASK_DOES_NOT_EXIST);
    assertThat(resumer.heartbeat(unknown)).isEqualTo(ResumeOutcome.TASK_DOES_NOT_EXIST);
  }

  @Test
  void outputThatIsNotJsonIsRefusedAsAnIllegalArgument() {
    assertThatThrownBy(() -> resumer.succeed(token, new TaskOutput("{not json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("InvalidOutput")
        .hasMessageContaining(token.fingerprint())
        .hasMessageNotContaining(token.value());
    assertThat(resumer.succeed(token, OUTPUT)).isEqualTo(ResumeOutcome.RESUMED);
  }

  @Override
  protected ApplicationReference applicationOf(TaskToken token) {
    return ApplicationReference.of("app-1");
  }

  @Override
  protected void closeWithoutAnswer(TaskToken token) {
    local.timeOutTask(token.value());
  }

  /**
   * The first attempt resumes the task but its answer is lost; the SDK's retry then sees
   * TaskTimedOut, and the history shows the task closed with our output.
   */
  @Test
  void aRetryAfterALostAnswerSeesTaskTimedOutAndTheHistoryShowsOurOutput() {
    local.failNext(1, Fault.APPLIED_THEN_SERVER_ERROR);

    assertThat(resumer.succeed(token, OUTPUT)).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(local.requests("SendTaskSuccess")).isEqualTo(2);
    assertThat(resumer.closureOf(APP_1, token, OUTPUT)).isEqualTo(TaskClosure.BY_THIS_ANSWER);
    assertThat(local.requests("GetExecutionHistory"))
        .as("read page by page, two events a page")
        .isGreaterThan(1);
  }

  @Test
  void aRetryAfterALostFailureSeesTheFailureInTheHistory() {
    local.failNext(1, Fault.APPLIED_THEN_SERVER_ERROR);

    assertThat(resumer.fail(token, FAILURE)).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(resumer.closureOf(APP_1, token, FAILURE)).isEqualTo(TaskClosure.BY_THIS_ANSWER);
  }

  @Test
  void aTaskThatTimedOutBeforeOurSendClosedOtherwise() {
    local.timeOutTask(token.value());

    assertThat(resumer.succeed(token, OUTPUT)).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
    assertThat(resumer.closureOf(APP_1, token, OUTPUT)).isEqualTo(TaskClosure.OTHERWISE);
  }

  @Test
  void anotherTaskOfTheSameExecutionDoesNotCount() {
    TaskToken other = aWaitingTask();
    resumer.succeed(other, OUTPUT);

    assertThat(resumer.closureOf(APP_1, token, OUTPUT)).isEqualTo(TaskClosure.OTHERWISE);
  }

  @Test
  void aHistoryThatCannotBeReadIsServiceUnavailableNotAGuess() {
    resumer.succeed(token, OUTPUT);
    local.failNext(3, Fault.SERVER_ERROR_QUOTING_REQUEST);

    assertThatThrownBy(() -> resumer.closureOf(APP_1, token, OUTPUT))
        .isInstanceOf(WorkflowServiceUnavailableException.class)
        .hasMessageContaining("GetExecutionHistory")
        .hasMessageNotContaining(token.value());
  }

  @Test
  void withoutAStateMachineTheClosureCannotBeTold() {
    resumer.succeed(token, OUTPUT);

    assertThatThrownBy(() -> new StepFunctionsWorkflowResumer(sfn).closureOf(APP_1, token, OUTPUT))
        .isInstanceOf(WorkflowServiceUnavailableException.class);
  }

  @Test
  void aRetryAfterThrottlingThatSeesTaskTimedOutIsTimedOut() {
    assertThat(resumer.succeed(token, OUTPUT)).isEqualTo(ResumeOutcome.RESUMED);
    local.failNext(1, Fault.THROTTLING);

    assertThat(resumer.succeed(token, OUTPUT)).isEqualTo(ResumeOutcome.TASK_TIMED_OUT);
  }

  @Test
  void throttlingIsRetriedByTheSdk() {
    local.failNext(2, Fault.THROTTLING);

    assertThat(resumer.succeed(token, OUTPUT)).isEqualTo(ResumeOutcome.RESUMED);
    assertThat(local.requests("SendTaskSuccess")).isEqualTo(3);
  }

  @Test
  void throttlingThatOutlastsTheRetriesIsServiceUnavailable() {
    local.failNext(3, Fault.THROTTLING);

    assertThatThrownBy(() -> resumer.heartbeat(token))
        .isInstanceOf(WorkflowServiceUnavailableException.class)
        .hasMessageContaining("SendTaskHeartbeat")
        .hasMessageContaining("ThrottlingException")
        .hasMessageContaining("attempts: 3")
        .hasMessageNotContaining(token.value())
        .isInstanceOfSatisfying(
            WorkflowServiceUnavailableException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)));
    assertThat(local.requests("SendTaskHeartbeat")).isEqualTo(3);
  }

  @Test
  void serverErrorsAreServiceUnavailableAndNeverCarryTheToken() {
    local.failNext(3, Fault.SERVER_ERROR_QUOTING_REQUEST);

    assertThatThrownBy(() -> resumer.succeed(token, OUTPUT))
        .isInstanceOfSatisfying(
            WorkflowServiceUnavailableException.class,
            e -> {
              assertThat(e.retryAfter()).as("only throttling says when").isEmpty();
              assertThat(e)
                  .hasMessageContaining("InternalFailure")
                  .hasMessageContaining("HTTP 500");
              assertThat(e.getMessage()).contains(token.fingerprint());
              assertThat(stackTrace(e)).doesNotContain(token.value());
            });
    assertThat(local.requests("SendTaskSuccess")).isEqualTo(3);
  }

  @Test
  void aServiceThatDoesNotAnswerTimesOut() {
    local.failNext(Integer.MAX_VALUE, Fault.NO_RESPONSE);
    try (SfnClient impatient =
        local
            .clients()
            .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300))
            .newSfnClient()) {
      StepFunctionsWorkflowResumer resumer = new StepFunctionsWorkflowResumer(impatient);

      assertThatThrownBy(() -> resumer.heartbeat(token))
          .isInstanceOf(WorkflowServiceUnavailableException.class)
          .hasMessageContaining("Timeout")
          .hasMessageNotContaining(token.value());
    }
  }

  private static String stackTrace(Throwable throwable) {
    StringWriter trace = new StringWriter();
    throwable.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }
}
