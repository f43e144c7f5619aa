package com.valuationflow.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.CallHeldBackException;
import com.valuationflow.domain.port.WorkflowExecutions;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.domain.port.WorkflowStarterContract;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryWorkflowStarterTest extends WorkflowStarterContract {

  private WorkflowEngine engine;

  @BeforeEach
  void startEngine() {
    engine =
        WorkflowEngine.builder(StateMachineDefinition.parse(LoanProcessorDefinition.load()))
            .build();
    engine.registerFunction(LoanProcessorDefinition.REQUEST_VALUATION_FUNCTION, payload -> payload);
  }

  @AfterEach
  void stopEngine() {
    engine.close();
  }

  @Override
  protected WorkflowStarter starter() {
    return new InMemoryWorkflowStarter(engine);
  }

  @Override
  protected WorkflowExecutions executions() {
    return new InMemoryWorkflowExecutions(engine);
  }

  @Override
  protected void endExecution(ApplicationReference applicationReference) {
    engine.stopExecution(applicationReference.value(), "Stopped", "ended by the test");
  }

  @Test
  void anEngineTooBusyToStartOneHoldsTheStartBackSayingWhenToTryAgain() throws Exception {
    CountDownLatch valuerAnswers = new CountDownLatch(1);
    try (WorkflowEngine busy =
        WorkflowEngine.builder(StateMachineDefinition.parse(LoanProcessorDefinition.load()))
            .maxConcurrentInvocations(1)
            .maxInvocationWait(Duration.ofMillis(100))
            .build()) {
      busy.registerFunction(
          LoanProcessorDefinition.REQUEST_VALUATION_FUNCTION,
          payload -> {
            valuerAnswers.await();
            return payload;
          });
      InMemoryWorkflowStarter starter = new InMemoryWorkflowStarter(busy);
      starter.start(input("app-1"));
      starter.start(input("app-2"));
      TimeUnit.MILLISECONDS.sleep(300);

      assertThatThrownBy(() -> starter.start(input("app-3")))
          .isInstanceOfSatisfying(
              CallHeldBackException.class,
              held -> assertThat(held.retryAfter()).contains(Duration.ofSeconds(1)));
      assertThat(new InMemoryWorkflowExecutions(busy).find(ApplicationReference.of("app-3")))
          .isEmpty();
      valuerAnswers.countDown();
    }
  }

  private static WorkflowInput input(String reference) {
    return new WorkflowInput(LoanApplication.of(reference, "999", "PO1 1CE"), Duration.ofHours(1));
  }
}
