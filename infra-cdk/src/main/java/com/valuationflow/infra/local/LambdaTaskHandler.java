package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.infra.local.lambda.InvokeResult;
import com.valuationflow.infra.local.lambda.LocalLambda;
import com.valuationflow.inmemory.workflow.TaskFailedException;
import com.valuationflow.inmemory.workflow.TaskHandler;
import java.nio.charset.StandardCharsets;

/**
 * A state machine's {@code lambda:invoke} of a local function, as Step Functions makes it: under
 * the state machine's role, which must be allowed {@code lambda:InvokeFunction}; a function error
 * fails the task with the function's {@code errorType} as the error and its whole error payload as
 * the cause, so that {@code Retry} and {@code Catch} match the same names as on AWS.
 */
final class LambdaTaskHandler implements TaskHandler {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final LocalLambda lambda;
  private final Authorizer authorizer;
  private final String roleArn;
  private final String functionArn;

  LambdaTaskHandler(LocalLambda lambda, Authorizer authorizer, String roleArn, String functionArn) {
    this.lambda = lambda;
    this.authorizer = authorizer;
    this.roleArn = roleArn;
    this.functionArn = functionArn;
  }

  @Override
  public JsonNode invoke(JsonNode payload) throws Exception {
    try {
      authorizer.authorize(roleArn, "lambda:InvokeFunction", functionArn);
    } catch (AwsServiceError e) {
      throw new TaskFailedException("Lambda.AWSLambdaException", e.getMessage());
    }
    InvokeResult result;
    try {
      result = lambda.invoke(functionArn, MAPPER.writeValueAsBytes(payload));
    } catch (AwsServiceError e) {
      // Step Functions names Lambda's own errors Lambda.<code>, as its Retry rules expect.
      throw new TaskFailedException("Lambda." + e.code(), e.getMessage());
    }
    String body = new String(result.payload(), StandardCharsets.UTF_8);
    if (result.functionError().isPresent()) {
      throw new TaskFailedException(result.errorType().orElse("Lambda.Unknown"), body);
    }
    return body.isBlank() ? MAPPER.nullNode() : MAPPER.readTree(body);
  }
}
