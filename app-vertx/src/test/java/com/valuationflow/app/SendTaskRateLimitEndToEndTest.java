package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.webhook.WebhookSigner;
import com.valuationflow.aws.DynamoDbLocal;
import com.valuationflow.aws.DynamoDbTaskTokenStore;
import com.valuationflow.aws.JdkHttpValuer;
import com.valuationflow.aws.LocalStepFunctions;
import com.valuationflow.aws.RequestValuationFunction;
import com.valuationflow.aws.StepFunctionsWorkflowResumer;
import com.valuationflow.aws.TaskTokenTable;
import com.valuationflow.domain.testing.MutableClock;
import com.valuationflow.domain.usecase.RequestValuation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The client-side limit on Step Functions' task responses, in {@code MODE=aws} over real HTTP,
 * against DynamoDB Local and the local Step Functions endpoint. The app's clock refills the bucket:
 * the test moves it, so that the counts are exact.
 */
@ExtendWith(VertxExtension.class)
class SendTaskRateLimitEndToEndTest {

  private static final int APPLICATIONS = 10;
  private static final int BURST = 4;
  private static final int PER_SECOND = 2;

  private final String table = "task-tokens-" + UUID.randomUUID();
  private final MutableClock clock = new MutableClock(Instant.now());
  private DynamoDbClient dynamoDb;
  private LocalStepFunctions stepFunctions;
  private SfnClient sfn;
  private ScriptedValuer valuer;
  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    dynamoDb = DynamoDbLocal.newClient();
    TaskTokenTable.create(dynamoDb, table);
    stepFunctions = LocalStepFunctions.start();
    sfn = stepFunctions.newClient();
    valuer = ScriptedValuer.start(vertx);
    Map<String, String> env = new HashMap<>(AwsModeEnvironment.of(table, stepFunctions.endpoint()));
    env.put("SFN_SEND_TASK_BURST", Integer.toString(BURST));
    env.put("SFN_SEND_TASK_PER_SECOND", Integer.toString(PER_SECOND));
    app = RunningApp.start(vertx, AppConfig.fromEnvironment(env), clock);
  }

  @AfterEach
  void stop() {
    app.close();
    valuer.close();
    sfn.close();
    stepFunctions.close();
    dynamoDb.close();
  }

  /** A callback as a valuer delivers it: one {@code webhook-id}, signed afresh on each attempt. */
  private record Callback(String application, URI url, String body, String webhookId) {}

  private Callback waitingApplication(String reference) {
    assertThat(
            app.post(
                    "/loan-applications",
                    "{\"applicationReference\":\""
                        + reference
                        + "\",\"property\":{\"nameOrNumber\":\"999\",\"postcode\":\"PO1 1CE\"}}")
                .status())
        .isEqualTo(202);
    RequestValuationFunction function =
        new RequestValuationFunction(
            new RequestValuation(
                new JdkHttpValuer(valuer.url(), Duration.ofSeconds(2), Duration.ofSeconds(5)),
                new DynamoDbTaskTokenStore(dynamoDb, table, Clock.systemUTC()),
                new StepFunctionsWorkflowResumer(sfn),
                URI.create(app.url("/webhooks/valuations")),
                Clock.systemUTC()));
    Map<String, Object> outcome =
        function.request(
            Map.of(
                "taskToken",
                stepFunctions.issueTaskToken(reference),
                "loanApplication",
                Map.of(
                    "applicationReference",
                    reference,
                    "property",
                    Map.of("nameOrNumber", "999", "postcode", "PO1 1CE"),
                    "valuationTimeoutSeconds",
                    3600)));
    assertThat(outcome).containsEntry("outcome", "ValuationRequested");
    ScriptedValuer.Received request = valuer.nextRequest();
    String body =
        "{\"valuationReference\":\""
            + request.valuationReference()
            + "\",\"propertyValue\":250000}";
    return new Callback(reference, request.callbackUrl(), body, WebhookSigner.newMessageId());
  }

  /** Delivers the callbacks all at once; answers the refused ones, after checking the refusal. */
  private List<Callback> deliverAtOnce(List<Callback> callbacks, int expectedResumed) {
    List<Future<RunningApp.Response>> answers =
        callbacks.stream()
            .map(
                callback ->
                    ScriptedValuer.callBack(
                        app.client(),
                        callback.url(),
                        callback.body(),
                        ScriptedValuer.signed(
                            ScriptedValuer.SECRET, callback.webhookId(), callback.body())))
            .toList();
    RunningApp.await(Future.join(answers));
    List<Callback> refused = new ArrayList<>();
    for (int i = 0; i < callbacks.size(); i++) {
      RunningApp.Response answer = answers.get(i).result();
      if (answer.status() == 200) {
        assertThat(answer.json().path("outcome").asText()).isEqualTo("RESUMED");
      } else {
        assertThat(answer.status()).as(answer.text()).isEqualTo(503);
        assertThat(answer.headers().get("Retry-After")).isEqualTo("1");
        assertThat(answer.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.json().path("type").asText()).isEqualTo("/problems/service-unavailable");
        refused.add(callbacks.get(i));
      }
    }
    assertThat(callbacks.size() - refused.size()).as("resumed").isEqualTo(expectedResumed);
    return refused;
  }

  @Test
  void aBurstAboveTheLimitIsAnswered503ForTheExcessAndNothingIsLost() {
    List<Callback> callbacks = new ArrayList<>();
    for (int i = 0; i < APPLICATIONS; i++) {
      callbacks.add(waitingApplication("app-" + i));
    }

    List<Callback> refused = deliverAtOnce(callbacks, BURST);
    assertThat(refused).hasSize(APPLICATIONS - BURST);
    assertThat(stepFunctions.requests("SendTaskSuccess"))
        .as("task responses that reached Step Functions")
        .isEqualTo(BURST);

    clock.advance(Duration.ofSeconds(2));
    refused = deliverAtOnce(refused, 2 * PER_SECOND);
    assertThat(stepFunctions.requests("SendTaskSuccess")).isEqualTo(BURST + 2 * PER_SECOND);

    clock.advance(Duration.ofSeconds(2));
    refused = deliverAtOnce(refused, APPLICATIONS - BURST - 2 * PER_SECOND);
    assertThat(refused).isEmpty();
    assertThat(stepFunctions.requests("SendTaskSuccess")).isEqualTo(APPLICATIONS);
    for (Callback callback : callbacks) {
      RunningApp.Response done = app.get("/loan-applications/" + callback.application());
      assertThat(done.json().path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(done.json().at("/output/propertyValue").asLong()).isEqualTo(250_000);
    }
  }
}
