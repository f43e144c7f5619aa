package com.valuationflow.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.aws.LocalStepFunctions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;

/** AWS SDK calls counted by operation and result, through a real client over loopback HTTP. */
class AwsCallMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private LocalStepFunctions stepFunctions;
  private SfnClient sfn;

  @BeforeEach
  void start() {
    stepFunctions = LocalStepFunctions.start();
    sfn =
        stepFunctions
            .clients()
            .withInterceptor(new AwsCallMetrics(new ServiceMetrics(registry)))
            .newSfnClient();
  }

  @AfterEach
  void stop() {
    sfn.close();
    stepFunctions.close();
  }

  private double calls(String operation, String result, String error) {
    var counter =
        registry
            .find("valuationflow.aws.calls")
            .tags("service", "Sfn", "operation", operation, "result", result, "error", error)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void successesThrottlingAndErrorsAreCountedOncePerCallRetriesIncluded() {
    String arn = LocalStepFunctions.STATE_MACHINE.value();
    sfn.describeStateMachine(machine -> machine.stateMachineArn(arn));
    stepFunctions.failNext(3, LocalStepFunctions.Fault.THROTTLING);
    assertThatThrownBy(() -> sfn.describeStateMachine(machine -> machine.stateMachineArn(arn)))
        .isInstanceOf(SfnException.class);
    assertThatThrownBy(
            () ->
                sfn.describeExecution(
                    execution ->
                        execution.executionArn(arn.replace("stateMachine", "execution") + ":none")))
        .isInstanceOf(SfnException.class);

    assertThat(calls("DescribeStateMachine", "success", "")).isEqualTo(1);
    assertThat(calls("DescribeStateMachine", "throttled", "ThrottlingException")).isEqualTo(1);
    assertThat(
            registry
                .find("valuationflow.aws.calls")
                .tag("operation", "DescribeExecution")
                .counters())
        .singleElement()
        .satisfies(
            counter -> {
              assertThat(counter.getId().getTag("result")).isEqualTo("rejected");
              assertThat(counter.getId().getTag("error")).isEqualTo("ExecutionDoesNotExist");
              assertThat(counter.count()).isEqualTo(1);
            });
    assertThat(registry.find("valuationflow.aws.call.duration").timers())
        .extracting(timer -> timer.count())
        .containsExactlyInAnyOrder(2L, 1L);
  }
}
