package com.valuationflow.infra.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Java function for the local Lambda's tests, run by Amazon's runtime interface client from the
 * test classes directory: its event is a POJO, which only the runtime's own serialization turns the
 * JSON payload into; {@code action} says what to do.
 */
public final class JavaTestHandler
    implements RequestHandler<JavaTestHandler.Event, Map<String, Object>> {

  /** Thrown for {@code "action":"refuse"}: the invocation's errorType is this class's name. */
  public static final class ValuationRefusedException extends RuntimeException {
    public ValuationRefusedException(String message) {
      super(message);
    }
  }

  /** The event: {@code {"action":"greet|refuse|exit|sleep","name":"...","amount":1}}. */
  public static final class Event {
    private String action;
    private String name;
    private int amount;

    public String getAction() {
      return action;
    }

    public void setAction(String action) {
      this.action = action;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public int getAmount() {
      return amount;
    }

    public void setAmount(int amount) {
      this.amount = amount;
    }
  }

  @Override
  public Map<String, Object> handleRequest(Event event, Context context) {
    switch (event.getAction()) {
      case "refuse":
        throw new ValuationRefusedException("No valuation for " + event.getName());
      case "exit":
        System.exit(3);
        return Map.of();
      case "sleep":
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Map.of();
      default:
        System.out.println("Greeting " + event.getName());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("greeting", "Hello, " + event.getName());
        result.put("doubled", event.getAmount() * 2);
        result.put("requestId", context.getAwsRequestId());
        result.put("functionName", context.getFunctionName());
        result.put("invokedArn", context.getInvokedFunctionArn());
        result.put("memoryMb", context.getMemoryLimitInMB());
        result.put("remainingMs", context.getRemainingTimeInMillis());
        result.put("pid", ProcessHandle.current().pid());
        result.put("environment", new LinkedHashMap<>(System.getenv()));
        return result;
    }
  }
}
