package com.valuationflow.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.webhook.WebhookRejectedException;
import com.valuationflow.domain.usecase.HandleValuationCallback;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ServiceMetrics metrics = new ServiceMetrics(registry);

  @Test
  void everyDomainOutcomeAndEverySignatureRefusalHasItsLabel() {
    assertThat(HandleValuationCallback.Outcome.values())
        .allSatisfy(
            outcome ->
                assertThat(ServiceMetrics.CallbackOutcome.valueOf(outcome.name())).isNotNull());
    assertThat(WebhookRejectedException.Reason.values())
        .allSatisfy(
            reason ->
                assertThat(ServiceMetrics.CallbackOutcome.valueOf(reason.name())).isNotNull());
  }

  @Test
  void callbackCountersShowFromTheStartAtZero() {
    assertThat(registry.find("valuationflow.callbacks").counters())
        .hasSize(ServiceMetrics.CallbackOutcome.values().length)
        .allSatisfy(counter -> assertThat(counter.count()).isZero());
    assertThat(
            registry.find("valuationflow.callbacks").counters().stream()
                .map(counter -> counter.getId().getTag("outcome")))
        .containsAll(Arrays.asList("resumed", "invalid_signature", "redelivered"));
  }

  @Test
  void workflowErrorLabelsAreBounded() {
    for (int i = 0; i < 200; i++) {
      metrics.applicationFinished("failed", "Error" + i);
    }

    assertThat(registry.find("valuationflow.applications.finished").counters()).hasSize(51);
    assertThat(
            registry
                .find("valuationflow.applications.finished")
                .tag("error", "other")
                .counter()
                .count())
        .isEqualTo(150);
  }
}
