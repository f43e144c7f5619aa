package com.valuationflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.inmemory.workflow.ExecutionSnapshot;
import com.valuationflow.inmemory.workflow.StateMachineDefinition;
import com.valuationflow.inmemory.workflow.TaskFailedException;
import com.valuationflow.inmemory.workflow.WorkflowEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.s3.assets.AssetOptions;

/**
 * The mock valuer's template: a public intake URL, a generated signing secret only its functions
 * may read, and a state machine that waits, then delivers the callback, retrying with backoff and
 * full jitter. The functions' code is tested running in {@link MockValuerFunctionsTest}.
 */
class MockValuerStackTest {

  private static final String CALLBACK = "callback";
  private static final String INPUT =
      """
      {"callbackUrl": "https://loans.example/webhooks/valuations?correlationId=k1",
       "delaySeconds": 6,
       "webhookId": "msg_0123456789abcdef0123456789abcdef",
       "callback": {"valuationReference": "val-1", "propertyValue": 250000},
       "copies": 1,
       "attemptsMade": 0}
      """;
  private static Template template;
  private static String definition;
  private static String intakeId;
  private static String callbackId;
  private static String stateMachineId;
  private static String secretId;

  private WorkflowEngine engine;

  @BeforeAll
  static void synthesize() {
    template =
        Template.fromStack(
            new MockValuerStack(new App(), "MockValuer", StackProps.builder().build()));
    intakeId = functionId("Intake");
    callbackId = functionId("Callback");
    stateMachineId = template.getResourceId("AWS::StepFunctions::StateMachine");
    secretId = template.getResourceId("AWS::SecretsManager::Secret");
    definition =
        Definitions.asl(Definitions.definitionString(template), Map.of(callbackId, CALLBACK));
    Definitions.writeForValidation("mock-valuer.asl.json", definition);
  }

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void aPublicFunctionUrlTakesRequestsAndStartsTheMockValuer() {
    template.hasResourceProperties(
        "AWS::Lambda::Url",
        Map.of(
            "AuthType",
            "NONE",
            "TargetFunctionArn",
            Map.of("Fn::GetAtt", List.of(intakeId, "Arn"))));
    template.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of("Action", "lambda:InvokeFunctionUrl", "FunctionUrlAuthType", "NONE"));
    template.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of("Action", "lambda:InvokeFunction", "InvokedViaFunctionUrl", true));
    assertThat(properties(intakeId).get("Environment"))
        .isEqualTo(
            Map.of(
                "Variables",
                Map.of(
                    "STATE_MACHINE_ARN",
                    Map.of("Ref", stateMachineId),
                    "DELAY_SECONDS",
                    String.valueOf(MockValuerStack.DEFAULT_DELAY_SECONDS),
                    "VALUATION_TIMEOUT_SECONDS",
                    String.valueOf(MockValuerStack.DEFAULT_VALUATION_TIMEOUT_SECONDS),
                    "SLOW_REPLY_MS",
                    "10500",
                    "WEBHOOK_SECRET_ARN",
                    Map.of("Ref", secretId))));
    template.hasOutput(
        "ValuerUrl",
        Map.of(
            "Value",
            Map.of(
                "Fn::GetAtt", List.of(template.getResourceId("AWS::Lambda::Url"), "FunctionUrl"))));
  }

  @Test
  void bothFunctionsRunTheirHandlersFromTheCodeAsset() {
    for (String id : List.of(intakeId, callbackId)) {
      Map<?, ?> properties = properties(id);
      assertThat(properties.get("Runtime")).as(id).isEqualTo("nodejs22.x");
      assertThat(map(properties.get("Code")))
          .as(id)
          .containsKeys("S3Bucket", "S3Key")
          .doesNotContainKey("ZipFile");
    }
    assertThat(properties(intakeId).get("Handler")).isEqualTo("intake.handler");
    assertThat(properties(callbackId).get("Handler")).isEqualTo("callback.handler");
    assertThat(properties(callbackId).get("Environment"))
        .isEqualTo(Map.of("Variables", Map.of("WEBHOOK_SECRET_ARN", Map.of("Ref", secretId))));
    assertThat(Path.of(MockValuerStack.CODE_DIRECTORY).resolve("package.json")).isRegularFile();
  }

  @Test
  void theAssetHoldsTheCodeAloneNeitherDependenciesNorTests(@TempDir Path directory)
      throws IOException {
    Path code = directory.resolve("mock-valuer");
    Files.createDirectories(code);
    Set<String> sources;
    try (Stream<Path> files = Files.list(Path.of(MockValuerStack.CODE_DIRECTORY))) {
      sources =
          files.map(file -> file.getFileName().toString()).collect(Collectors.toUnmodifiableSet());
    }
    assertThat(sources)
        .containsExactlyInAnyOrder("intake.js", "callback.js", "valuer.js", "package.json");
    for (String file : sources) {
      Files.copy(Path.of(MockValuerStack.CODE_DIRECTORY, file), code.resolve(file));
    }
    for (String stray :
        List.of(
            "node_modules/@aws-sdk/client-sfn/index.js",
            "test/intake.test.js",
            "tests/fixture.json",
            "valuer.test.js",
            ".eslintrc.json")) {
      Files.createDirectories(code.resolve(stray).getParent());
      Files.writeString(code.resolve(stray), "// not code of the function");
    }

    App app = new App(AppProps.builder().outdir(directory.resolve("cdk.out").toString()).build());
    Function.Builder.create(new Stack(app, "Asset"), "Function")
        .runtime(Runtime.NODEJS_22_X)
        .handler("intake.handler")
        .code(
            Code.fromAsset(
                code.toString(),
                AssetOptions.builder().exclude(MockValuerStack.CODE_EXCLUDES).build()))
        .build();
    Path assembly = Path.of(app.synth().getDirectory());

    List<Path> staged;
    try (Stream<Path> assets = Files.list(assembly)) {
      staged = assets.filter(path -> path.getFileName().toString().startsWith("asset.")).toList();
    }
    assertThat(staged).hasSize(1);
    try (Stream<Path> files = Files.walk(staged.get(0))) {
      assertThat(
              files
                  .filter(Files::isRegularFile)
                  .map(file -> staged.get(0).relativize(file).toString()))
          .containsExactlyInAnyOrderElementsOf(sources);
    }
  }

  @Test
  void theSigningSecretIsGeneratedNeverWrittenInTheTemplate() {
    Map<String, Object> secret = map(properties(secretId));
    assertThat(secret.get("GenerateSecretString"))
        .isEqualTo(
            Map.of(
                "PasswordLength", MockValuerStack.SECRET_LENGTH,
                "ExcludePunctuation", true,
                "IncludeSpace", false));
    assertThat(secret).doesNotContainKeys("SecretString", "SecretStringTemplate");
    assertThat(template.findResources("AWS::SecretsManager::Secret")).hasSize(1);
    template.hasOutput(
        "WebhookSecretArn",
        Map.of(
            "Value",
            Map.of("Ref", secretId),
            "Description",
            Match.stringLikeRegexp(".*WEBHOOK_SECRET.*whsec_.*SecretString.*")));
    // No variable carries a secret: the functions get its ARN and read it at run time.
    for (String id : template.findResources("AWS::Lambda::Function").keySet()) {
      Object variables = map(properties(id).get("Environment")).get("Variables");
      assertThat(map(variables)).as(id).doesNotContainKey("WEBHOOK_SECRET");
    }
  }

  @Test
  void theGeneratedKindOfSecretIsOneTheAppAccepts() {
    // Secrets Manager draws PasswordLength characters from letters and digits alone (no
    // punctuation, no space): 48 of them are the unpadded base64 of 36 bytes.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    List<String> samples = new ArrayList<>(List.of("A".repeat(48), "z".repeat(48), "9".repeat(48)));
    for (int i = 0; i < 1_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < MockValuerStack.SECRET_LENGTH; c++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      samples.add(text.toString());
    }
    for (String sample : samples) {
      assertThat(WebhookSecret.parse(WebhookSecret.PREFIX + sample)).isNotNull();
    }
  }

  @Test
  void eachFunctionMayReadTheSecretWriteItsLogsAndNoMore() {
    Map<String, Object> getSecret =
        Map.of(
            "Action", "secretsmanager:GetSecretValue",
            "Effect", "Allow",
            "Resource", Map.of("Ref", secretId));
    assertThat(statementsOf(callbackId))
        .containsExactlyInAnyOrder(getSecret, writesLogs(callbackId));
    assertThat(statementsOf(intakeId))
        .containsExactlyInAnyOrder(
            getSecret,
            writesLogs(intakeId),
            Map.of(
                "Action", "states:StartExecution",
                "Effect", "Allow",
                "Resource", Map.of("Ref", stateMachineId)),
            Map.of(
                "Action",
                "states:DescribeExecution",
                "Effect",
                "Allow",
                "Resource",
                TemplateArns.states("execution:MockValuer:*")));
    // Nothing else in the stack touches the secret.
    long secretStatements =
        template.findResources("AWS::IAM::Policy").values().stream()
            .flatMap(policy -> statements(policy).stream())
            .filter(statement -> statement.toString().contains("secretsmanager"))
            .count();
    assertThat(secretStatements).isEqualTo(2);
    // And no statement of the stack grants anything on every resource.
    assertThat(
            template.findResources("AWS::IAM::Policy").values().stream()
                .flatMap(policy -> statements(policy).stream())
                .map(statement -> ((Map<?, ?>) statement).get("Resource")))
        .noneMatch(resource -> "*".equals(resource) || List.of("*").equals(resource));
  }

  /**
   * A function's log-writing statement: its own log group only, not AWSLambdaBasicExecutionRole.
   */
  private Map<String, Object> writesLogs(String functionId) {
    Map<?, ?> function =
        (Map<?, ?>)
            template.findResources("AWS::Lambda::Function").get(functionId).get("Properties");
    Object logGroup = ((Map<?, ?>) function.get("LoggingConfig")).get("LogGroup");
    String logGroupId = (String) ((Map<?, ?>) logGroup).get("Ref");
    assertThat(template.findResources("AWS::IAM::Role").toString())
        .doesNotContain("AWSLambdaBasicExecutionRole");
    return Map.of(
        "Action", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
        "Effect", "Allow",
        "Resource", Map.of("Fn::GetAtt", List.of(logGroupId, "Arn")));
  }

  @Test
  void theMockValuerWaitsThenDeliversRetryingWithBackoffAndFullJitter() {
    JsonNode asl = Definitions.json(definition);
    assertThat(asl.path("StartAt").asText()).isEqualTo("Valuing");
    JsonNode states = asl.path("States");
    assertThat(states.path("Valuing"))
        .isEqualTo(
            Definitions.json(
                """
                {"Type": "Wait", "SecondsPath": "$.delaySeconds", "Next": "FirstAttemptMade"}
                """));
    assertThat(states.path("FirstAttemptMade").path("Default").asText()).isEqualTo("CallBack");
    assertThat(states.path("FirstAttemptMade").path("Choices").get(0).path("Next").asText())
        .isEqualTo("CallBackAgain");
    for (String state : List.of("CallBack", "CallBackAgain")) {
      assertThat(states.path(state).path("Resource").asText())
          .isEqualTo("arn:aws:states:::lambda:invoke");
      assertThat(states.path(state).path("Parameters").path("FunctionName").asText())
          .isEqualTo(CALLBACK);
      assertThat(states.path(state).path("OutputPath").asText()).isEqualTo("$.Payload");
      assertThat(states.path(state).path("End").asBoolean()).isTrue();
    }
    // Eight attempts in all: the first, then retries after up to 1, 2, 4... s (at most 300 s).
    assertThat(states.path("CallBack").path("Retry"))
        .isEqualTo(
            Definitions.json(
                """
                [{"ErrorEquals": ["Lambda.ClientExecutionTimeoutException",
                                  "Lambda.ServiceException", "Lambda.AWSLambdaException",
                                  "Lambda.SdkClientException"],
                  "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2},
                 {"ErrorEquals": ["CallbackFailed"], "IntervalSeconds": 1, "MaxAttempts": 7,
                  "BackoffRate": 2, "MaxDelaySeconds": 300, "JitterStrategy": "FULL"}]
                """));
    // After the intake's own first attempt of an early callback: the other seven.
    assertThat(states.path("CallBackAgain").path("Retry").get(1))
        .isEqualTo(
            Definitions.json(
                """
                {"ErrorEquals": ["CallbackFailed"], "IntervalSeconds": 2, "MaxAttempts": 6,
                 "BackoffRate": 2, "MaxDelaySeconds": 300, "JitterStrategy": "FULL"}
                """));
    template.hasResourceProperties(
        "AWS::StepFunctions::StateMachine", Map.of("StateMachineType", "STANDARD"));
  }

  @Test
  void theDefinitionRunsInMemoryWaitingThenPostingTheCallback() throws Exception {
    BlockingQueue<JsonNode> calls = new LinkedBlockingQueue<>();
    engine = engine();
    engine.registerFunction(
        CALLBACK,
        payload -> {
          calls.add(payload);
          return Definitions.json("{\"webhookId\": \"msg_1\", \"deliveries\": []}");
        });

    engine.start("val-1", INPUT);

    ExecutionSnapshot done = completion("val-1");
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.eventTypes()).contains("WaitStateEntered", "WaitStateExited");
    assertThat(calls.poll(1, TimeUnit.SECONDS)).isEqualTo(Definitions.json(INPUT));
    assertThat(calls).isEmpty();
    assertThat(done.output()).hasValueSatisfying(out -> assertThat(out).contains("msg_1"));
  }

  @Test
  void aCallbackTheWebhookCannotTakeIsRetriedWithTheSameInput() {
    List<JsonNode> attempts = new ArrayList<>();
    engine = engine();
    engine.registerFunction(
        CALLBACK,
        payload -> {
          attempts.add(payload);
          if (attempts.size() < 3) {
            throw new TaskFailedException("CallbackFailed", "HTTP 503");
          }
          return Definitions.json("{}");
        });

    engine.start("val-1", INPUT);

    assertThat(completion("val-1").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(attempts).hasSize(3).containsOnly(Definitions.json(INPUT));
  }

  @Test
  void theMockValuerGivesUpAfterEightAttemptsOrSevenAfterAnEarlyOne() {
    Map<String, AtomicInteger> attempts =
        Map.of("val-1", new AtomicInteger(), "val-2", new AtomicInteger());
    engine = engine();
    engine.registerFunction(
        CALLBACK,
        payload -> {
          attempts
              .get(payload.path("callback").path("valuationReference").asText())
              .incrementAndGet();
          throw new TaskFailedException("CallbackFailed", "HTTP 503");
        });

    engine.start("val-1", INPUT);
    engine.start(
        "val-2",
        INPUT
            .replace("\"val-1\"", "\"val-2\"")
            .replace("\"attemptsMade\": 0", "\"attemptsMade\": 1"));

    for (String name : List.of("val-1", "val-2")) {
      ExecutionSnapshot done = completion(name);
      assertThat(done.status()).as(name).isEqualTo(ExecutionStatus.FAILED);
      assertThat(done.error()).as(name).contains("CallbackFailed");
    }
    assertThat(attempts.get("val-1")).hasValue(8);
    assertThat(attempts.get("val-2")).hasValue(7);
  }

  @Test
  void anAnswerTheWebhookGaveIsFinal() {
    AtomicInteger attempts = new AtomicInteger();
    engine = engine();
    engine.registerFunction(
        CALLBACK,
        payload -> {
          attempts.incrementAndGet();
          return Definitions.json(
              "{\"webhookId\": \"msg_1\", \"deliveries\": [{\"status\": 410, \"answer\": \"x\"}]}");
        });

    engine.start("val-1", INPUT);

    assertThat(completion("val-1").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void theContextSetsTheDelayAndTheValuationTimeout() {
    Template configured =
        Template.fromStack(
            new MockValuerStack(
                new App(
                    AppProps.builder()
                        .context(
                            Map.of(
                                MockValuerStack.DELAY_CONTEXT, "2",
                                MockValuerStack.VALUATION_TIMEOUT_CONTEXT, "60"))
                        .build()),
                "MockValuer",
                StackProps.builder().build()));
    configured.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            "intake.handler",
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of("DELAY_SECONDS", "2", "VALUATION_TIMEOUT_SECONDS", "60")))));
  }

  @Test
  void invalidContextValuesAreRefusedNamingTheKey() {
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry(MockValuerStack.DELAY_CONTEXT, "-1"),
            Map.entry(MockValuerStack.DELAY_CONTEXT, "soon"),
            Map.entry(MockValuerStack.VALUATION_TIMEOUT_CONTEXT, "0"),
            Map.entry(MockValuerStack.VALUATION_TIMEOUT_CONTEXT, "an hour"))) {
      assertThatThrownBy(
              () ->
                  new MockValuerStack(
                      new App(
                          AppProps.builder().context(Map.of(bad.getKey(), bad.getValue())).build()),
                      "MockValuer",
                      StackProps.builder().build()))
          .as(bad.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.getKey());
    }
  }

  private static WorkflowEngine engine() {
    return WorkflowEngine.builder(StateMachineDefinition.parse(definition))
        .secondLength(Duration.ofMillis(1))
        .stateMachineName("MockValuer")
        .build();
  }

  private ExecutionSnapshot completion(String name) {
    return engine.awaitCompletion(name).orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static Map<?, ?> properties(String logicalId) {
    Map<?, ?> resources = (Map<?, ?>) template.toJSON().get("Resources");
    return (Map<?, ?>) ((Map<?, ?>) resources.get(logicalId)).get("Properties");
  }

  /** The statements of the policies attached to a function's role. */
  private static List<Object> statementsOf(String functionId) {
    Object role = ((Map<?, ?>) properties(functionId).get("Role")).get("Fn::GetAtt");
    String roleId = (String) ((List<?>) role).get(0);
    return template.findResources("AWS::IAM::Policy").values().stream()
        .filter(
            policy ->
                ((List<?>) ((Map<?, ?>) policy.get("Properties")).get("Roles"))
                    .contains(Map.of("Ref", roleId)))
        .flatMap(policy -> statements(policy).stream())
        .map(Object.class::cast)
        .toList();
  }

  private static List<?> statements(Map<String, Object> policy) {
    Map<?, ?> document = (Map<?, ?>) ((Map<?, ?>) policy.get("Properties")).get("PolicyDocument");
    return (List<?>) document.get("Statement");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static String functionId(String prefix) {
    return template.findResources("AWS::Lambda::Function").keySet().stream()
        .filter(id -> id.startsWith(prefix + "Function"))
        .findFirst()
        .orElseThrow();
  }
}
