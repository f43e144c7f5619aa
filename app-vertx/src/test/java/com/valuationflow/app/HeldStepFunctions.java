package com.valuationflow.app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Step Functions endpoint on a loopback port that holds every call until the test releases it,
 * then starts executions as the service would: {@code DescribeExecution} finds none, {@code
 * StartExecution} succeeds. It makes a loan submission slow on the app's worker thread, through the
 * app's own {@code AWS_ENDPOINT_URL_SFN}.
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

  /** The app's environment in {@code MODE=aws} against this endpoint, plus these variables. */
  Map<String, String> appEnvironment(Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(more);
    env.putAll(
        Map.of(
            "MODE",
            "aws",
            "AWS_REGION",
            REGION,
            "TASK_TOKEN_TABLE",
            "valuation-task-tokens",
            "STATE_MACHINE_ARN",
            STATE_MACHINE,
            "AWS_ENDPOINT_URL_SFN",
            endpoint().toString(),
            "AWS_ENDPOINT_URL_DYNAMODB",
            "http://127.0.0.1:9",
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
