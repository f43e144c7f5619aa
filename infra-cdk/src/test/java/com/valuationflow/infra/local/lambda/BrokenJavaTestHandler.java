package com.valuationflow.infra.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** A Java function that cannot initialize: its constructor throws, as a missing setting would. */
public final class BrokenJavaTestHandler implements RequestHandler<Map<String, Object>, String> {

  public BrokenJavaTestHandler() {
    throw new IllegalStateException("TASK_TOKEN_TABLE is not set");
  }

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    return "unreachable";
  }
}
