package com.valuationflow.infra.local;

import static com.valuationflow.infra.local.LocalAwsFixture.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.valuationflow.infra.local.InjectedLatency.Delay;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

class InjectedLatencyTest {

  private static final Duration MS_100 = Duration.ofMillis(100);
  private static final Duration MS_5 = Duration.ofMillis(5);

  @Test
  void theMostSpecificRuleApplies() {
    InjectedLatency latency = new InjectedLatency();
    latency.set("*", Delay.beforeCall(MS_5));
    latency.set("states:*", Delay.beforeCall(Duration.ofMillis(50)));
    latency.set("states:SendTaskSuccess", new Delay(MS_100, MS_100));

    assertThat(latency.of("states:SendTaskSuccess")).isEqualTo(new Delay(MS_100, MS_100));
    assertThat(latency.of("states:SendTaskFailure").beforeCall()).isEqualTo(Duration.ofMillis(50));
    assertThat(latency.of("dynamodb:Query").beforeCall()).isEqualTo(MS_5);

    latency.set("*", Delay.NONE);
    assertThat(latency.of("dynamodb:Query")).isEqualTo(Delay.NONE);
    latency.clear();
    assertThat(latency.of("states:SendTaskSuccess")).isEqualTo(Delay.NONE);
  }

  @Test
  void aSpecDelaysCallsBeforeTheyArePerformed() {
    InjectedLatency latency = InjectedLatency.parse("states:SendTaskSuccess=300, dynamodb:*=5");

    assertThat(latency.of("states:SendTaskSuccess"))
        .isEqualTo(Delay.beforeCall(Duration.ofMillis(300)));
    assertThat(latency.of("dynamodb:UpdateItem")).isEqualTo(Delay.beforeCall(MS_5));
    assertThat(InjectedLatency.parse("").of("dynamodb:UpdateItem")).isEqualTo(Delay.NONE);
    assertThat(InjectedLatency.parse(null).of("dynamodb:UpdateItem")).isEqualTo(Delay.NONE);
  }

  @Test
  void anUnreadableSpecOrActionIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InjectedLatency.parse("states:SendTaskSuccess=soon"))
        .withMessageContaining("'states:SendTaskSuccess=soon'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InjectedLatency.parse("=300"))
        .withMessageContaining("'=300'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new InjectedLatency().set("SendTaskSuccess", Delay.beforeCall(MS_5)));
    assertThatIllegalArgumentException().isThrownBy(() -> Delay.beforeCall(Duration.ofMillis(-1)));
  }

  @Test
  void theGatewayDelaysMatchingCallsOnly() throws Exception {
    try (LocalAwsFixture aws = new LocalAwsFixture();
        SfnClient sfn = aws.sfn(APP_KEY)) {
      sfn.listStateMachines();
      aws.gateway.latency().set("states:ListStateMachines", new Delay(MS_100, MS_100));

      assertThat(timed(sfn::listStateMachines)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

      aws.gateway.latency().clear();
      aws.gateway.latency().set("states:StartExecution", new Delay(MS_100, MS_100));
      assertThat(timed(sfn::listStateMachines)).isLessThan(Duration.ofMillis(200));
    }
  }

  private static Duration timed(Runnable call) {
    long started = System.nanoTime();
    call.run();
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
