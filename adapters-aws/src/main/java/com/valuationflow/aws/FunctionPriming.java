package com.valuationflow.aws;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Warms the request-valuation function's AWS calls while it initializes, changing nothing: a
 * consistent read of a table item that cannot exist and, when the function knows its state machine,
 * a read of an execution that cannot exist. The SDK then has its clients' request path loaded and
 * linked, its credentials resolved and a connection open before the first invocation; with
 * SnapStart all of that is in the snapshot the function resumes from. Priming is an optimization:
 * it never fails the function, whatever the answers.
 */
final class FunctionPriming {

  /** No correlation key has this form: keys are 22 base64url characters. */
  static final String KEY = "priming";

  private static final System.Logger LOG = System.getLogger(FunctionPriming.class.getName());

  private final DynamoDbClient dynamoDb;
  private final String tableName;
  private final SfnClient sfn;
  private final Optional<StateMachineArn> stateMachine;

  FunctionPriming(
      DynamoDbClient dynamoDb,
      String tableName,
      SfnClient sfn,
      Optional<StateMachineArn> stateMachine) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "'dynamoDb' must not be null");
    this.tableName = Objects.requireNonNull(tableName, "'tableName' must not be null");
    this.sfn = Objects.requireNonNull(sfn, "'sfn' must not be null");
    this.stateMachine = Objects.requireNonNull(stateMachine, "'stateMachine' must not be null");
  }

  void prime() {
    attempt(
        "GetItem",
        () ->
            dynamoDb.getItem(
                r ->
                    r.tableName(tableName)
                        .consistentRead(true)
                        .key(Map.of(TaskTokenTable.PARTITION_KEY, AttributeValue.fromS(KEY)))));
    stateMachine.ifPresent(
        machine ->
            attempt(
                "GetExecutionHistory",
                () ->
                    sfn.getExecutionHistory(
                        r -> r.executionArn(machine.executionArn(KEY)).maxResults(1))));
  }

  private static void attempt(String operation, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      // An execution that does not exist answers an error, which primes the error path too.
      LOG.log(
          System.Logger.Level.DEBUG,
          "Priming {0} answered {1}",
          operation,
          e.getClass().getSimpleName());
    }
  }
}
