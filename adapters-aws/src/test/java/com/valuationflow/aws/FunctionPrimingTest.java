package com.valuationflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/** Priming reads and changes nothing, and never fails, whatever the services answer. */
class FunctionPrimingTest {

  private static final String TABLE = "function-priming-tokens";

  private static LocalStepFunctions local;
  private static SfnClient sfn;
  private static DynamoDbClient dynamoDb;

  @BeforeAll
  static void start() {
    local = LocalStepFunctions.start();
    sfn = local.newClient();
    dynamoDb = DynamoDbLocal.newClient();
    TaskTokenTable.create(dynamoDb, TABLE);
  }

  @AfterAll
  static void stop() {
    sfn.close();
    local.close();
  }

  @Test
  void readsAnItemAndAnExecutionThatCannotExistAndWritesNothing() {
    new FunctionPriming(dynamoDb, TABLE, sfn, Optional.of(LocalStepFunctions.STATE_MACHINE))
        .prime();

    assertThat(dynamoDb.scan(r -> r.tableName(TABLE)).count()).isZero();
    assertThat(local.requests("GetExecutionHistory")).isEqualTo(1);
  }

  @Test
  void neverFailsTheFunctionWhateverTheServicesAnswer() {
    local.failNext(10, LocalStepFunctions.Fault.SERVER_ERROR_QUOTING_REQUEST);
    try {
      assertThatCode(
              () ->
                  new FunctionPriming(
                          dynamoDb,
                          "no-such-table",
                          sfn,
                          Optional.of(LocalStepFunctions.STATE_MACHINE))
                      .prime())
          .doesNotThrowAnyException();
    } finally {
      local.reset();
    }
  }
}
