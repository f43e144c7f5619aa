package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StateMachineArnTest {

  @Test
  void derivesTheArnOfAnExecution() {
    assertThat(
            StateMachineArn.of("arn:aws:states:eu-west-2:123456789012:stateMachine:LoanProcessor")
                .executionArn("app-1"))
        .isEqualTo("arn:aws:states:eu-west-2:123456789012:execution:LoanProcessor:app-1");
  }

  @Test
  void keepsThePartition() {
    assertThat(
            StateMachineArn.of("arn:aws-cn:states:cn-north-1:123456789012:stateMachine:lp")
                .executionArn("app-1"))
        .isEqualTo("arn:aws-cn:states:cn-north-1:123456789012:execution:lp:app-1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "loan-processor",
        "arn:aws:states:eu-west-2:123456789012:stateMachine:lp:1",
        "arn:aws:states:eu-west-2:123456789012:stateMachine:lp:prod",
        "arn:aws:states:eu-west-2:123456789012:execution:lp:app-1",
        "arn:aws:lambda:eu-west-2:123456789012:function:lp",
        "arn:aws:states:eu-west-2:1234:stateMachine:lp"
      })
  void refusesAnythingButAnUnqualifiedStateMachineArn(String arn) {
    assertThatThrownBy(() -> StateMachineArn.of(arn))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stateMachineArn");
  }
}
