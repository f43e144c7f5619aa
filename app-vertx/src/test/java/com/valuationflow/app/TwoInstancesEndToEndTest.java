package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.webhook.WebhookSigner;
import com.valuationflow.aws.DynamoDbLocal;
import com.valuationflow.aws.DynamoDbTaskTokenStore;
import com.valuationflow.aws.JdkHttpValuer;
import com.valuationflow.aws.LocalStepFunctions;
import com.valuationflow.aws.RequestValuationFunction;
import com.valuationflow.aws.StepFunctionsWorkflowResumer;
import com.valuationflow.aws.TaskTokenTable;
import com.valuationflow.domain.usecase.RequestValuation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Two instances of the app in {@code MODE=aws} on one DynamoDB table and one Step Functions
 * endpoint, as behind a load balancer: callbacks and their repeats (same {@code webhook-id}) land
 * on either at random, all at once. Each application is resumed exactly once, and every delivery of
 * one id is answered alike, whichever instance took it.
 */
@ExtendWith(VertxExtension.class)
class TwoInstancesEndToEndTest {

  private static final int APPLICATIONS = 12;
  private static final int DELIVERIES_PER_MESSAGE = 4;

  private final String table = "task-tokens-" + UUID.randomUUID();
  private final Random random = new Random();
  private DynamoDbClient dynamoDb;
  private LocalStepFunctions stepFunctions;
  private SfnClient sfn;
  private ScriptedValuer valuer;
  private final List<RunningApp> instances = new ArrayList<>();

  /** One message for one application, and where its callback URL points. */
  private record Message(String application, String id, String path, String body) {}

  @BeforeEach
  void start(Vertx vertx) {
    dynamoDb = DynamoDbLocal.newClient();
    TaskTokenTable.create(dynamoDb, table);
    stepFunctions = LocalStepFunctions.start();
    sfn = stepFunctions.newClient();
    valuer = ScriptedValuer.start(vertx);
    for (int i = 0; i < 2; i++) {
      instances.add(RunningApp.start(vertx, AppConfig.fromEnvironment(environment())));
    }
  }

  private Map<String, String> environment() {
    return AwsModeEnvironment.of(table, stepFunctions.endpoint());
  }

  @AfterEach
  void stop() {
    instances.forEach(RunningApp::close);
    valuer.close();
    sfn.close();
    stepFunctions.close();
    dynamoDb.close();
  }

  private RunningApp anyInstance() {
    return instances.get(random.nextInt(instances.size()));
  }

  /** Submits an application and plays its RequestValuation step, as the deployed function does. */
  private Message awaitingValuation(String application) {
    assertThat(
            anyInstance()
                .post(
                    "/loan-applications",
                    "{\"applicationReference\":\""
                        + application
                        + "\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}")
                .status())
        .isEqualTo(202);
    RunningApp instance = anyInstance();
    RequestValuationFunction function =
        new RequestValuationFunction(
            new RequestValuation(
                new JdkHttpValuer(valuer.url(), Duration.ofSeconds(2), Duration.ofSeconds(5)),
                new DynamoDbTaskTokenStore(dynamoDb, table, Clock.systemUTC()),
                new StepFunctionsWorkflowResumer(sfn),
                URI.create(instance.url("/webhooks/valuations")),
                Clock.systemUTC()));
    function.request(
        Map.of(
            "taskToken",
            stepFunctions.issueTaskToken(application),
            "loanApplication",
            Map.of(
                "applicationReference",
                application,
                "property",
                Map.of("nameOrNumber", "1", "postcode", "PO1 1CE"),
                "valuationTimeoutSeconds",
                3600)));
    ScriptedValuer.Received request = valuer.nextRequest();
    URI callback = request.callbackUrl();
    return new Message(
        application,
        WebhookSigner.newMessageId(),
        callback.getPath() + "?" + callback.getQuery(),
        "{\"valuationReference\":\""
            + request.valuationReference()
            + "\",\"propertyValue\":250000}");
  }

  private Future<RunningApp.Response> deliver(Message message) {
    RunningApp instance = anyInstance();
    return ScriptedValuer.callBack(
        instance.client(),
        URI.create(instance.url(message.path())),
        message.body(),
        ScriptedValuer.signed(ScriptedValuer.SECRET, message.id(), message.body()));
  }

  @Test
  void callbacksAndTheirRepeatsSpreadAcrossInstancesResumeEachApplicationExactlyOnce() {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < APPLICATIONS; i++) {
      messages.add(awaitingValuation("app-" + i));
    }
    List<Message> deliveries = new ArrayList<>();
    for (int i = 0; i < DELIVERIES_PER_MESSAGE; i++) {
      deliveries.addAll(messages);
    }
    java.util.Collections.shuffle(deliveries, random);

    List<RunningApp.Response> responses =
        RunningApp.await(
            Future.all(deliveries.stream().map(this::deliver).toList())
                .map(all -> all.<RunningApp.Response>list()));

    Map<String, List<RunningApp.Response>> byId = new HashMap<>();
    for (int i = 0; i < deliveries.size(); i++) {
      byId.computeIfAbsent(deliveries.get(i).id(), id -> new ArrayList<>()).add(responses.get(i));
    }
    assertThat(byId).hasSize(APPLICATIONS);
    byId.forEach(
        (id, answers) -> {
          assertThat(answers).hasSize(DELIVERIES_PER_MESSAGE);
          assertThat(answers)
              .as("every delivery of %s answered alike", id)
              .allSatisfy(
                  answer -> {
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.json().path("outcome").asText()).isEqualTo("RESUMED");
                    assertThat(answer.text()).isEqualTo(answers.get(0).text());
                  });
        });
    for (Message message : messages) {
      JsonNode execution =
          anyInstance()
              .awaitApplication(message.application(), status -> !status.equals("RUNNING"))
              .json();
      assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(count(execution, "TaskSucceeded"))
          .as("%s resumed exactly once", message.application())
          .isEqualTo(1);
    }
    for (Message message : messages) {
      RunningApp.Response later = RunningApp.await(deliver(message));
      assertThat(later.text()).isEqualTo(byId.get(message.id()).get(0).text());
    }
  }

  private static long count(JsonNode execution, String eventType) {
    return StreamSupport.stream(execution.path("history").spliterator(), false)
        .filter(event -> event.path("type").asText().equals(eventType))
        .count();
  }
}
