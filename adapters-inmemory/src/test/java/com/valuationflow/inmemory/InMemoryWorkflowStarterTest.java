package com.valuationflow.inmemory;

import com.valuationflow.domain.port.WorkflowExecutions;
import com.valuationflow.domain.port.WorkflowStarter;
import com.valuationflow.domain.port.WorkflowStarterContract;
import com.valuationflow.inmemory.workflow.LoanProcessorDefinition;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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
}
