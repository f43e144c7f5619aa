package com.valuationflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.mockvaluer.MockValuations;
import com.valuationflow.app.mockvaluer.MockValuerHandler;
import com.valuationflow.app.mockvaluer.Scenario;
import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.app.webhook.WebhookSigner;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.Property;
import com.valuationflow.infra.NodeHandlers.Invocation;
import com.valuationflow.infra.NodeHandlers.Outcome;
import com.valuationflow.infra.NodeHandlers.Run;
import com.valuationflow.infra.SignedWebhookReceiver.Delivery;
import com.valuationflow.inmemory.workflow.ExecutionSnapshot;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.TaskFailedException;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The deployed mock valuer's real Node.js handlers, run with {@code node}: their AWS SDK clients
 * talk to a local Secrets Manager and Step Functions ({@link AwsJsonStub}); their callbacks go to a
 * webhook on loopback that checks them with the app's own {@code WebhookVerifier}. They must behave
 * as the app's mock valuer ({@code app-vertx}'s {@code MockValuerHandler}), trigger for trigger.
 */
class MockValuerFunctionsTest {

  private static final Path INTAKE = Path.of(MockValuerStack.CODE_DIRECTORY, "intake.js");
  private static final Path CALLBACK = Path.of(MockValuerStack.CODE_DIRECTORY, "callback.js");

  private static final String SECRET_ARN =
      "arn:aws:secretsmanager:eu-west-2:123456789012:secret:MockValuerWebhookSecret-AbCdEf";
  private static final String STATE_MACHINE_ARN =
      "arn:aws:states:eu-west-2:123456789012:stateMachine:MockValuer";
  private static final int DELAY_SECONDS = 6;
  private static final int VALUATION_TIMEOUT_SECONDS = 120;
  private static final int SLOW_REPLY_MS = 300;

  /** A random (version 4) or, for a request with an idempotency key, a derived (8) UUID. */
  private static final Pattern REFERENCE =
      Pattern.compile("val-[0-9a-f]{8}-[0-9a-f]{4}-[48][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private static final Pattern UNKNOWN_REFERENCE =
      Pattern.compile("val-unknown-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern MESSAGE_ID = Pattern.compile("msg_[0-9a-f]{32}");

  /** What Secrets Manager generates for the stack: 48 letters and digits. */
  private static final String SECRET_STRING = generatedSecretString();

  private static AwsJsonStub aws;
  private static SignedWebhookReceiver webhook;

  @BeforeAll
  static void start() {
    NodeHandlers.nodeModules();
    aws = new AwsJsonStub(SECRET_ARN, SECRET_STRING);
    webhook = new SignedWebhookReceiver(WebhookSecret.PREFIX + SECRET_STRING);
  }

  @AfterAll
  static void stop() {
    aws.close();
    webhook.close();
  }

  @BeforeEach
  void reset() {
    aws.clear();
    webhook.reset();
  }

  // --- intake.js ---

  @Test
  void aValuationRequestIsAnsweredAndItsSignedCallbackHandedToTheStateMachine() {
    Outcome answer = intake(request("999", "PO1 1CE")).only();

    String reference = accepted(answer);
    List<JsonNode> started = aws.startedExecutions();
    assertThat(started).hasSize(1);
    assertThat(started.get(0).path("stateMachineArn").asText()).isEqualTo(STATE_MACHINE_ARN);
    assertThat(started.get(0).path("name").asText()).isEqualTo(reference);
    JsonNode input = input(started.get(0));
    String id = input.path("webhookId").asText();
    assertThat(id).matches(MESSAGE_ID).isNotEqualTo(WebhookSigner.newMessageId());
    assertThat(WebhookSigner.newMessageId()).matches(MESSAGE_ID); // the app's format
    assertThat(input.path("request").asText())
        .as("the request's fingerprint")
        .matches("[0-9a-f]{64}");
    ((com.fasterxml.jackson.databind.node.ObjectNode) input).remove("request");
    assertThat(input)
        .isEqualTo(
            json(
                Map.of(
                    "callbackUrl",
                    webhook.callbackUrl(),
                    "delaySeconds",
                    DELAY_SECONDS,
                    "webhookId",
                    id,
                    "callback",
                    Map.of(
                        "valuationReference",
                        reference,
                        "propertyValue",
                        MockValuations.valueOf(Property.of("999", "PO1 1CE"))),
                    "copies",
                    1,
                    "attemptsMade",
                    0)));
    assertThat(aws.calls(AwsJsonStub.START_EXECUTION)).allMatch(AwsJsonStub.Call::signed);
    assertThat(webhook.deliveries()).isEmpty(); // the state machine calls back, later
  }

  @Test
  void everyAddressIsWorthWhatTheAppsMockValuerSays() {
    List<Property> properties =
        List.of(
            Property.of("999", "PO1 1CE"),
            Property.of("999", "po11ce"),
            Property.of("  Flat 2b ", "sw1a 1aa"),
            Property.of("Rose Cottage", "M1 1AE"),
            Property.of("12", "EC1A1BB"),
            Property.of("Ty Gwyn", "CF10 1AA"));

    Run run =
        intake(properties.stream().map(p -> request(p.nameOrNumber(), p.postcode())).toArray());

    List<JsonNode> started = aws.startedExecutions();
    assertThat(started).hasSameSizeAs(properties);
    for (int i = 0; i < properties.size(); i++) {
      accepted(run.outcomes().get(i));
      assertThat(input(started.get(i)).path("callback").path("propertyValue").asLong())
          .as(properties.get(i).toString())
          .isEqualTo(MockValuations.valueOf(properties.get(i)));
    }
  }

  @Test
  void everyTriggerOfTheAppsMockValuerIsServedTheSameWay() throws Exception {
    List<Scenario> scenarios = List.of(Scenario.values());
    // The triggers as a client may write them: any case, surrounding space.
    List<String> names =
        scenarios.stream()
            .map(s -> s == Scenario.NORMAL ? "999" : "  " + s.trigger().toUpperCase() + " ")
            .toList();
    Run run = intake(names.stream().map(name -> request(name, "PO1 1CE")).toArray());

    for (int i = 0; i < scenarios.size(); i++) {
      Scenario scenario = scenarios.get(i);
      long value = MockValuations.valueOf(Property.of(names.get(i), "PO1 1CE"));
      Outcome answer = run.outcomes().get(i);
      if (scenario == Scenario.UNAVAILABLE) {
        assertThat(answer.result().path("statusCode").asInt()).isEqualTo(503);
        assertThat(body(answer).path("type").asText()).isEqualTo("/problems/valuer-unavailable");
        continue;
      }
      String reference = accepted(answer);
      List<JsonNode> started =
          aws.startedExecutions().stream()
              .filter(request -> request.path("name").asText().equals(reference))
              .toList();
      JsonNode input = started.isEmpty() ? null : input(started.get(0));
      switch (scenario) {
        case NORMAL -> {
          assertThat(input.path("delaySeconds").asInt()).isEqualTo(DELAY_SECONDS);
          assertThat(input.path("callback")).isEqualTo(valuation(reference, value));
        }
        case NO_CALLBACK, EARLY_CALLBACK -> assertThat(started).as(scenario.name()).isEmpty();
        case LATE_CALLBACK -> {
          assertThat(input.path("delaySeconds").asInt())
              .isEqualTo(VALUATION_TIMEOUT_SECONDS + DELAY_SECONDS);
          assertThat(input.path("callback")).isEqualTo(valuation(reference, value));
        }
        case UNKNOWN_REFERENCE -> {
          assertThat(input.path("delaySeconds").asInt()).isEqualTo(DELAY_SECONDS);
          String quoted = input.path("callback").path("valuationReference").asText();
          assertThat(quoted).matches(UNKNOWN_REFERENCE).isNotEqualTo(reference);
          assertThat(input.path("callback")).isEqualTo(valuation(quoted, value));
        }
        case FAILED_RESPONSE ->
            assertThat(input.path("callback"))
                .isEqualTo(
                    json(
                        Map.of(
                            "valuationReference",
                            reference,
                            "failed",
                            true,
                            "reason",
                            appFailureReason())));
        case DUPLICATE_RESPONSE -> {
          assertThat(input.path("copies").asInt()).isEqualTo(3);
          assertThat(input.path("callback")).isEqualTo(valuation(reference, value));
        }
        case SLOW_REPLY -> {
          assertThat(input.path("delaySeconds").asInt()).isEqualTo(DELAY_SECONDS);
          assertThat(input.path("callback")).isEqualTo(valuation(reference, value));
        }
        default -> throw new AssertionError("No expectation for " + scenario);
      }
      if (input != null && scenario != Scenario.DUPLICATE_RESPONSE) {
        assertThat(input.path("copies").asInt()).as(scenario.name()).isEqualTo(1);
        assertThat(input.path("attemptsMade").asInt()).as(scenario.name()).isZero();
      }
    }
    // Only the early callback was delivered already, by the intake itself.
    assertThat(webhook.deliveries()).hasSize(1).allMatch(Delivery::verified);
    assertThat(aws.startedExecutions()).hasSize(6);
  }

  @Test
  void aRepeatedIdempotencyKeyIsAnsweredWithTheSameReferenceAndValuesNothingAgain() {
    Run run =
        intake(
            withKey(request("999", "PO1 1CE"), "c-key-1"),
            withKey(request("999", "PO1 1CE"), "c-key-1"),
            withKey(request("999", "SW1A 1AA"), "c-key-1"),
            withKey(request("999", "PO1 1CE"), "c-key-2"),
            withKey(request("999", "PO1 1CE"), "not a visible key"));

    String first = accepted(run.outcomes().get(0));
    assertThat(accepted(run.outcomes().get(1))).isEqualTo(first);
    assertThat(status(run.outcomes().get(2))).isEqualTo(422);
    assertThat(body(run.outcomes().get(2)).path("type").asText())
        .isEqualTo("/problems/idempotency-key-reused");
    assertThat(accepted(run.outcomes().get(3))).isNotEqualTo(first);
    assertThat(fields(run.outcomes().get(4))).containsExactly("Idempotency-Key");
    assertThat(aws.startedExecutions())
        .extracting(start -> start.path("name").asText())
        .containsExactly(first, accepted(run.outcomes().get(3)));
    assertThat(input(aws.startedExecutions().get(0)).path("webhookId").asText())
        .as("a message id of its own, derived from the key")
        .matches(MESSAGE_ID);
  }

  @Test
  void aSlowReplyComesAfterSlowReplyMsButItsRepeatAtOnce() {
    Run run =
        intake(
            request("999", "PO1 1CE"),
            withKey(request("Slow reply", "PO1 1CE"), "c-slow"),
            withKey(request("Slow reply", "PO1 1CE"), "c-slow"));

    List<Outcome> outcomes = run.outcomes();
    assertThat(Duration.between(outcomes.get(0).readAt(), outcomes.get(1).readAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(SLOW_REPLY_MS));
    assertThat(accepted(outcomes.get(2))).isEqualTo(accepted(outcomes.get(1)));
    assertThat(Duration.between(outcomes.get(1).readAt(), outcomes.get(2).readAt()))
        .isLessThan(Duration.ofMillis(SLOW_REPLY_MS));
    assertThat(aws.startedExecutions()).hasSize(2);
  }

  @Test
  void anEarlyCallbackIsDeliveredSignedBeforeTheAnswer() {
    webhook.answering(202).answeringAfter(Duration.ofMillis(500));

    Outcome answer = intake(request("Early callback", "PO1 1CE")).only();

    String reference = accepted(answer);
    List<Delivery> deliveries = webhook.deliveries();
    assertThat(deliveries).hasSize(1);
    Delivery early = deliveries.get(0);
    assertThat(early.verified()).as(early.rejection()).isTrue();
    assertThat(early.id()).matches(MESSAGE_ID);
    assertThat(json(early.text()))
        .isEqualTo(
            valuation(reference, MockValuations.valueOf(Property.of("Early callback", "PO1 1CE"))));
    // The answer left the intake only after the webhook had answered the callback.
    assertThat(early.answeredAt()).isBefore(answer.readAt());
    assertThat(aws.startedExecutions()).isEmpty();
  }

  @Test
  void anEarlyCallbackTheWebhookCannotTakeIsLeftToTheStateMachineUnderItsId() {
    webhook.answering(503, 404);

    Run run = intake(request("Early callback", "PO1 1CE"), request("early callback", "PO1 1CE"));

    String retried = accepted(run.outcomes().get(0));
    accepted(run.outcomes().get(1));
    List<Delivery> deliveries = webhook.deliveries();
    assertThat(deliveries).extracting(Delivery::status).containsExactly(503, 404);
    List<JsonNode> started = aws.startedExecutions();
    assertThat(started).hasSize(1); // a 404 is final
    assertThat(started.get(0).path("name").asText()).isEqualTo(retried);
    JsonNode input = input(started.get(0));
    assertThat(input.path("webhookId").asText()).isEqualTo(deliveries.get(0).id());
    assertThat(input.path("callback")).isEqualTo(json(deliveries.get(0).text()));
    assertThat(input.path("attemptsMade").asInt()).isEqualTo(1);
    assertThat(input.path("delaySeconds").asInt()).isBetween(0, 1); // up to 1 s, full jitter
    assertThat(input.path("copies").asInt()).isEqualTo(1);
    assertThat(input.path("callbackUrl").asText()).isEqualTo(webhook.callbackUrl());
  }

  @Test
  void invalidRequestsAreRefusedAsTheAppRefusesThem() {
    Map<String, Object> get = new LinkedHashMap<>(request("999", "PO1 1CE"));
    get.put("requestContext", Map.of("http", Map.of("method", "GET", "path", "/")));
    Map<String, Object> base64 = new LinkedHashMap<>(request("999", "PO1 1CE"));
    base64.put(
        "body",
        Base64.getEncoder()
            .encodeToString(((String) base64.get("body")).getBytes(StandardCharsets.UTF_8)));
    base64.put("isBase64Encoded", true);

    Run run =
        intake(
            get,
            withBody("{}"),
            withBody("{\"property\":{\"nameOrNumber\":\"999\",\"postcode\":\"PO1 1CE\"}}"),
            withBody("{\"callbackUrl\":\"" + webhook.callbackUrl() + "\"}"),
            withBody(
                "{\"property\":{\"nameOrNumber\":\"999\",\"postcode\":\"nowhere\"},"
                    + "\"callbackUrl\":\"ftp://loans.example/\"}"),
            withBody("not JSON"),
            base64);

    assertThat(status(run.outcomes().get(0))).isEqualTo(405);
    assertThat(fields(run.outcomes().get(1)))
        .containsExactly("property.nameOrNumber", "property.postcode", "callbackUrl");
    assertThat(fields(run.outcomes().get(2))).containsExactly("callbackUrl");
    assertThat(fields(run.outcomes().get(3)))
        .containsExactly("property.nameOrNumber", "property.postcode");
    assertThat(fields(run.outcomes().get(4))).containsExactly("property.postcode", "callbackUrl");
    assertThat(status(run.outcomes().get(5))).isEqualTo(400);
    for (Outcome refused : run.outcomes().subList(1, 6)) {
      assertThat(refused.result().path("headers").path("content-type").asText())
          .isEqualTo("application/problem+json");
      assertThat(body(refused).path("type").asText()).isEqualTo("/problems/invalid-request");
    }
    String reference = accepted(run.outcomes().get(6));
    assertThat(aws.startedExecutions())
        .as("only the valid request is valued")
        .extracting(start -> start.path("name").asText())
        .containsExactly(reference);
  }

  // --- callback.js ---

  @Test
  void aCallbackIsSignedSoThatTheAppsVerifierAcceptsIt() {
    Map<String, Object> event = callbackEvent(1);

    Run run = callback(false, Invocation.of(event));

    assertDeliveredSigned(run, event);
    assertThat(aws.calls(AwsJsonStub.GET_SECRET_VALUE))
        .singleElement()
        .satisfies(
            call -> assertThat(call.request().path("SecretId").asText()).isEqualTo(SECRET_ARN));
  }

  @Test
  void aRetriedDeliveryKeepsItsWebhookIdAndIsSignedAfresh() {
    webhook.answering(503, 200);
    Map<String, Object> event = callbackEvent(1);

    // The state machine's retry: the same input again, once the backoff has passed.
    Run run = callback(false, Invocation.of(event), new Invocation(event, 90));

    assertThat(run.outcomes().get(0).errorName()).isEqualTo(MockValuerStack.CALLBACK_FAILED);
    assertThat(run.outcomes().get(0).errorMessage()).contains("HTTP 503");
    assertThat(run.outcomes().get(1).failed()).isFalse();
    List<Delivery> attempts = webhook.deliveries();
    assertThat(attempts).hasSize(2).allMatch(Delivery::verified);
    assertThat(attempts).extracting(Delivery::id).containsOnly((String) event.get("webhookId"));
    assertThat(attempts.get(0).text()).isEqualTo(attempts.get(1).text());
    assertThat(
            Long.parseLong(attempts.get(1).timestamp())
                - Long.parseLong(attempts.get(0).timestamp()))
        .isBetween(89L, 91L);
    assertThat(attempts.get(1).signature()).isNotEqualTo(attempts.get(0).signature());
    // One function instance reads the secret once.
    assertThat(aws.calls(AwsJsonStub.GET_SECRET_VALUE)).hasSize(1);
  }

  @Test
  void noAnswer408429And5xxAreWorthRetryingAndEveryOtherAnswerIsFinal() throws IOException {
    List<Integer> statuses =
        List.of(500, 502, 503, 504, 408, 429, 400, 401, 404, 409, 410, 422, 301, 200, 202);
    webhook.answering(statuses.toArray(Integer[]::new));
    Map<String, Object> event = callbackEvent(1);
    Map<String, Object> refused = new LinkedHashMap<>(event);
    try (ServerSocket closed = new ServerSocket(0)) {
      refused.put(
          "callbackUrl", "http://127.0.0.1:" + closed.getLocalPort() + "/webhooks/valuations");
    }
    List<Invocation> invocations = new ArrayList<>();
    statuses.forEach(status -> invocations.add(Invocation.of(event)));
    invocations.add(Invocation.of(refused));

    Run run = callback(false, invocations.toArray(Invocation[]::new));

    for (int i = 0; i < statuses.size(); i++) {
      int status = statuses.get(i);
      Outcome outcome = run.outcomes().get(i);
      if (status >= 500 || status == 408 || status == 429) {
        assertThat(outcome.errorName()).as("HTTP %d", status).isEqualTo("CallbackFailed");
      } else {
        assertThat(outcome.failed()).as("HTTP %d", status).isFalse();
        assertThat(outcome.result().path("deliveries").get(0).path("status").asInt())
            .as("HTTP %d", status)
            .isEqualTo(status);
      }
    }
    Outcome unanswered = run.outcomes().get(statuses.size());
    assertThat(unanswered.errorName()).isEqualTo("CallbackFailed");
    assertThat(unanswered.errorMessage()).contains("ECONNREFUSED");
    assertThat(webhook.deliveries()).hasSize(statuses.size()).allMatch(Delivery::verified);
  }

  @Test
  void aDuplicateResponseIsThreeIdenticalSignedCopiesPostedAtOnce() {
    webhook.answeringAfter(Duration.ofMillis(400));
    Map<String, Object> event = callbackEvent(3);

    Outcome outcome = callback(false, Invocation.of(event)).only();

    assertThat(outcome.result().path("deliveries")).hasSize(3);
    List<Delivery> copies = webhook.deliveries();
    assertThat(copies).hasSize(3).allMatch(Delivery::verified);
    assertThat(copies).extracting(Delivery::id).containsOnly((String) event.get("webhookId"));
    assertThat(copies).extracting(Delivery::text).containsOnly(copies.get(0).text());
    assertThat(json(copies.get(0).text())).isEqualTo(json(event.get("callback")));
    // Each answer took 400 ms: one after the other, they would end 400 ms apart or more.
    Instant first = copies.stream().map(Delivery::answeredAt).min(Instant::compareTo).orElseThrow();
    Instant last = copies.stream().map(Delivery::answeredAt).max(Instant::compareTo).orElseThrow();
    assertThat(Duration.between(first, last)).isLessThan(Duration.ofMillis(300));
  }

  @Test
  void aCallbackFunctionPostingUnsignedCallbacksFailsTheseTests() {
    Map<String, Object> event = callbackEvent(1);

    // The real function, but every request it sends loses its webhook-* headers on the way.
    Run unsigned = callback(true, Invocation.of(event));

    assertThatThrownBy(() -> assertDeliveredSigned(unsigned, event))
        .isInstanceOf(AssertionError.class);
    // Why: the app's verifier refuses it, and the function takes that 401 as final, so in AWS
    // the callback would be lost and the loan application would time out.
    Delivery refused = webhook.deliveries().get(0);
    assertThat(refused.id()).isNull();
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.rejection()).contains("webhook-id");
    assertThat(unsigned.only().result().path("deliveries").get(0).path("status").asInt())
        .isEqualTo(401);
  }

  @Test
  void theSynthesizedStateMachineRetriesTheRealFunctionUntilTheWebhookTakesTheCallback() {
    webhook.answering(503, 429, 200);
    Template template =
        Template.fromStack(
            new MockValuerStack(new App(), "MockValuer", StackProps.builder().build()));
    String callbackFunction =
        template.findResources("AWS::Lambda::Function").keySet().stream()
            .filter(id -> id.startsWith("CallbackFunction"))
            .findFirst()
            .orElseThrow();
    String definition =
        Definitions.asl(
            Definitions.definitionString(template), Map.of(callbackFunction, "callback"));
    Map<String, Object> event = callbackEvent(1);

    try (WorkflowEngine engine =
        WorkflowEngine.builder(StateMachineDefinition.parse(definition))
            .secondLength(Duration.ofMillis(1))
            .stateMachineName("MockValuer")
            .build()) {
      // Each task attempt runs callback.js in a new node process, as a new function instance.
      engine.registerFunction(
          "callback",
          payload -> {
            Outcome outcome =
                NodeHandlers.run(CALLBACK, env(), false, List.of(Invocation.of(payload))).only();
            if (outcome.failed()) {
              throw new TaskFailedException(outcome.errorName(), outcome.errorMessage());
            }
            return outcome.result();
          });
      engine.start("val-1", json(event).toString());

      ExecutionSnapshot done =
          engine.awaitCompletion("val-1").orTimeout(60, TimeUnit.SECONDS).join();
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
    List<Delivery> attempts = webhook.deliveries();
    assertThat(attempts).extracting(Delivery::status).containsExactly(503, 429, 200);
    assertThat(attempts).allMatch(Delivery::verified);
    assertThat(attempts).extracting(Delivery::id).containsOnly((String) event.get("webhookId"));
  }

  /** What a correctly signed, accepted delivery of {@code event}'s one message looks like. */
  private static void assertDeliveredSigned(Run run, Map<String, Object> event) {
    Outcome outcome = run.only();
    assertThat(outcome.failed()).as(outcome.errorMessage()).isFalse();
    assertThat(outcome.result())
        .isEqualTo(
            json(
                Map.of(
                    "webhookId",
                    event.get("webhookId"),
                    "deliveries",
                    List.of(Map.of("status", 200, "answer", "RESUMED")))));
    List<Delivery> deliveries = webhook.deliveries();
    assertThat(deliveries).hasSize(1);
    Delivery delivery = deliveries.get(0);
    assertThat(delivery.verified()).as(delivery.rejection()).isTrue();
    assertThat(delivery.id()).isEqualTo(event.get("webhookId"));
    assertThat(delivery.contentType()).isEqualTo("application/json");
    assertThat(json(delivery.text())).isEqualTo(json(event.get("callback")));
    assertThat(Long.parseLong(delivery.timestamp()))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(10L));
  }

  // --- requests, events and answers ---

  private static Run intake(Object... events) {
    return NodeHandlers.run(
        INTAKE, env(), false, java.util.Arrays.stream(events).map(Invocation::of).toList());
  }

  private static Run callback(boolean stripSignatures, Invocation... invocations) {
    return NodeHandlers.run(CALLBACK, env(), stripSignatures, List.of(invocations));
  }

  /** The functions' environment as the stack sets it, and an SDK pointed at the local stub. */
  private static Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL", aws.endpoint());
    env.put("AWS_REGION", "eu-west-2");
    env.put("AWS_ACCESS_KEY_ID", "AKIDLOCALTEST");
    env.put("AWS_SECRET_ACCESS_KEY", "local-test-secret");
    env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("NODE_NO_WARNINGS", "1");
    env.put("WEBHOOK_SECRET_ARN", SECRET_ARN);
    env.put("STATE_MACHINE_ARN", STATE_MACHINE_ARN);
    env.put("DELAY_SECONDS", Integer.toString(DELAY_SECONDS));
    env.put("VALUATION_TIMEOUT_SECONDS", Integer.toString(VALUATION_TIMEOUT_SECONDS));
    env.put("SLOW_REPLY_MS", Integer.toString(SLOW_REPLY_MS));
    return env;
  }

  /** A function URL event (payload format 2.0) posting a valuation request. */
  private static Map<String, Object> request(String nameOrNumber, String postcode) {
    return withBody(
        json(Map.of(
                "property",
                Map.of("nameOrNumber", nameOrNumber, "postcode", postcode),
                "callbackUrl",
                webhook.callbackUrl()))
            .toString());
  }

  /** The event with an {@code Idempotency-Key} header, as a function URL passes it. */
  private static Map<String, Object> withKey(Map<String, Object> event, String key) {
    Map<String, Object> keyed = new LinkedHashMap<>(event);
    keyed.put("headers", Map.of("content-type", "application/json", "idempotency-key", key));
    return keyed;
  }

  private static Map<String, Object> withBody(String body) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "2.0");
    event.put("rawPath", "/");
    event.put("headers", Map.of("content-type", "application/json"));
    event.put("requestContext", Map.of("http", Map.of("method", "POST", "path", "/")));
    event.put("body", body);
    event.put("isBase64Encoded", false);
    return event;
  }

  /** The state machine's input for one message, as the intake starts it. */
  private static Map<String, Object> callbackEvent(int copies) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("callbackUrl", webhook.callbackUrl());
    event.put("delaySeconds", DELAY_SECONDS);
    event.put("webhookId", WebhookSigner.newMessageId());
    event.put("callback", Map.of("valuationReference", "val-1", "propertyValue", 250_000));
    event.put("copies", copies);
    event.put("attemptsMade", 0);
    return event;
  }

  /** The reference of a {@code 202} answer. */
  private static String accepted(Outcome answer) {
    assertThat(answer.failed()).as(answer.errorMessage()).isFalse();
    assertThat(status(answer)).as(answer.result().toString()).isEqualTo(202);
    assertThat(answer.result().path("headers").path("content-type").asText())
        .isEqualTo("application/json");
    String reference = body(answer).path("valuationReference").asText();
    assertThat(reference).matches(REFERENCE);
    assertThat(body(answer).size()).isEqualTo(1);
    return reference;
  }

  private static int status(Outcome answer) {
    return answer.result().path("statusCode").asInt();
  }

  private static JsonNode body(Outcome answer) {
    return Definitions.json(answer.result().path("body").asText());
  }

  private static List<String> fields(Outcome answer) {
    assertThat(status(answer)).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    body(answer).path("errors").forEach(error -> fields.add(error.path("field").asText()));
    return fields;
  }

  private static JsonNode input(JsonNode startExecution) {
    return Definitions.json(startExecution.path("input").asText());
  }

  private static JsonNode valuation(String reference, long value) {
    return json(Map.of("valuationReference", reference, "propertyValue", value));
  }

  /** JSON text, or a value as its JSON text reads back (so that 1 and 1L compare equal). */
  private static JsonNode json(Object value) {
    try {
      return Definitions.json(
          value instanceof String text ? text : Definitions.MAPPER.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The app's own failure reason, so that the two cannot drift apart. */
  private static String appFailureReason() throws ReflectiveOperationException {
    Field reason = MockValuerHandler.class.getDeclaredField("FAILURE_REASON");
    reason.setAccessible(true);
    return (String) reason.get(null);
  }

  private static String generatedSecretString() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < MockValuerStack.SECRET_LENGTH; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
