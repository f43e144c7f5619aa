package com.valuationflow.app;

import com.valuationflow.aws.DynamoDbLocal;
import com.valuationflow.aws.TaskTokenTable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A Step Functions endpoint on a loopback port that holds every call until the test releases it,
 * then answers as the service would: {@code StartExecution} succeeds, {@code DescribeExecution}
 * finds no execution. It makes a loan submission slow on the app's worker thread, through the app's
 * own {@code AWS_ENDPOINT_URL_SFN}; the submission's record goes to a table of its own in DynamoDB
 * Local first.
 */
final class HeldStepFunctions implements AutoCloseable {

  static final String REGION = "eu-west-2";
  static final String STATE_MACHINE = "arn:aws:states:eu-west-2:123456789012:stateMachine:Loans";

  private final HttpServer server;
  private final Promise<Void> released;
  private final CountDownLatch firstCall = new CountDownLatch(1);

  private HeldStepFunctions(Vertx vertx) {
    this.released = Promise.promise();
    this.server = vertx.createHttpServer().requestHandler(this::hold);
  }

  static HeldStepFunctions start(Vertx vertx) {
    HeldStepFunctions stepFunctions = new HeldStepFunctions(vertx);
    RunningApp.await(stepFunctions.server.listen(0, "127.0.0.1"));
    return stepFunctions;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /**
   * The app's environment in {@code MODE=aws} against this endpoint and a new table in DynamoDB
   * Local, plus these variables.
   */
  Map<String, String> appEnvironment(Map<String, String> more) {
    String table = "held-" + UUID.randomUUID();
    try (DynamoDbClient dynamoDb = DynamoDbLocal.newClient()) {
      TaskTokenTable.create(dynamoDb, table);
    }
    Map<String, String> env = new java.util.HashMap<>(more);
    env.putAll(
        Map.of(
            "MODE",
            "aws",
            "AWS_REGION",
            REGION,
            "TASK_TOKEN_TABLE",
            table,
            "STATE_MACHINE_ARN",
            STATE_MACHINE,
            "AWS_ENDPOINT_URL_SFN",
            endpoint().toString(),
            "AWS_ENDPOINT_URL_DYNAMODB",
            DynamoDbLocal.endpoint().toString(),
            "WEBHOOK_SECRET",
            ScriptedValuer.SECRET_TEXT,
            "API_KEYS",
            TestApiKey.API_KEYS));
    return env;
  }

  /** Waits until the app made its first call, which is now held. */
  void awaitFirstCall() throws InterruptedException {
    if (!firstCall.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the app made no Step Functions call");
    }
  }

  /** Answers the held calls, and every later one at once. */
  void release() {
    released.tryComplete();
  }

  private void hold(HttpServerRequest request) {
    String target = request.getHeader("X-Amz-Target");
    request.body().compose(body -> released.future()).onComplete(done -> answer(request, target));
    firstCall.countDown();
  }

  private static void answer(HttpServerRequest request, String target) {
    request.response().putHeader("Content-Type", "application/x-amz-json-1.0");
    if ("AWSStepFunctions.DescribeExecution".equals(target)) {
      request
          .response()
          .setStatusCode(400)
          .end("{\"__type\":\"ExecutionDoesNotExist\",\"message\":\"no such execution\"}");
    } else {
      request
          .response()
          .end(
              "{\"executionArn\":\"arn:aws:states:eu-west-2:123456789012:execution:Loans:x\","
                  + "\"startDate\":1700000000}");
    }
  }

  @Override
  public void close() {
    RunningApp.await(server.close().recover(failure -> Future.succeededFuture()));
  }
}
