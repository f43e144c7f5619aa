package com.valuationflow.app.management;

import com.valuationflow.aws.TaskTokenTable;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;

/** What {@code MODE=aws} is ready with: the token table and the state machine answer. */
public final class AwsReadinessChecks {

  /** The key the DynamoDB check reads; no item has it. */
  static final String PROBE_KEY = "readiness-probe";

  private AwsReadinessChecks() {}

  /**
   * {@code dynamodb}: a {@code GetItem} of a key no item has, rather than {@code DescribeTable},
   * which the app's IAM policy does not allow; {@code stepfunctions}: {@code DescribeStateMachine}.
   */
  public static List<ReadinessCheck> of(
      DynamoDbClient dynamoDb, String table, SfnClient sfn, String stateMachineArn) {
    return List.of(
        new ReadinessCheck(
            "dynamodb",
            () ->
                dynamoDb.getItem(
                    get ->
                        get.tableName(table)
                            .key(
                                Map.of(
                                    TaskTokenTable.PARTITION_KEY, AttributeValue.fromS(PROBE_KEY)))
                            .projectionExpression(TaskTokenTable.PARTITION_KEY))),
        new ReadinessCheck(
            "stepfunctions",
            () -> sfn.describeStateMachine(machine -> machine.stateMachineArn(stateMachineArn))));
  }
}
