package com.valuationflow.inmemory;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer;
import com.valuationflow.domain.port.WorkflowResumerContract;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class InMemoryWorkflowResumerTest extends WorkflowResumerContract {

  private static final String WAITING_TASK =
      """
      {"StartAt": "Wait", "States": {"Wait": {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "capture", "Payload": {"token.$": "$$.Task.Token"}},
        "End": true}}}""";

  private final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
  private final AtomicInteger executions = new AtomicInteger();
  private final Map<TaskToken, String> executionOfToken = new ConcurrentHashMap<>();
  private WorkflowEngine engine;
  private WorkflowResumer resumer;

  @BeforeEach
  void startEngine() {
    engine = WorkflowEngine.builder(StateMachineDefinition.parse(WAITING_TASK)).build();
    engine.registerFunction(
        "capture",
        payload -> {
          tokens.add(payload.path("token").asText());
          return payload;
        });
    resumer = new InMemoryWorkflowResumer(engine);
  }

  @AfterEach
  void stopEngine() {
    engine.close();
  }

  @Override
  protected WorkflowResumer resumer() {
    return resumer;
  }

  @Override
  protected TaskToken aWaitingTask() {
    String name = "execution-" + executions.incrementAndGet();
    engine.start(name, "{}");
    try {
      TaskToken token = TaskToken.of(tokens.poll(10, TimeUnit.SECONDS));
      executionOfToken.put(token, name);
      return token;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  protected TaskToken aTokenNeverIssued() {
    return TaskToken.of("vfwt1." + "A".repeat(43));
  }

  @Override
  protected ApplicationReference applicationOf(TaskToken token) {
    return ApplicationReference.of(executionOfToken.get(token));
  }

  @Override
  protected void closeWithoutAnswer(TaskToken token) {
    engine.stopExecution(executionOfToken.get(token), "States.Timeout", "The task timed out");
  }
}
