package com.valuationflow.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;
import software.constructs.Node;

/**
 * The loan processor on AWS: the task token table, the RequestValuation function, the Standard
 * state machine that invokes it and waits for a task token, and the managed policy the app's
 * webhook runs with ({@code MODE=aws}). Its outputs are the app's AWS settings.
 */
public final class LoanProcessorStack extends Stack {

  /** The token table's partition key, as the app's DynamoDB adapter expects. */
  public static final String PARTITION_KEY = "correlationKey";

  /** The token table's time-to-live attribute, as the app's DynamoDB adapter writes it. */
  public static final String TTL_ATTRIBUTE = "forgetAtEpochSeconds";

  /**
   * The function's entry point. It has no package: Lambda's Java runtime names an error after the
   * thrown exception's class, and the workflow's error names have none.
   */
  static final String FUNCTION_HANDLER = "RequestValuationHandler::handleRequest";

  /** The alias of the function's published version, which the workflow invokes. */
  static final String FUNCTION_ALIAS = "live";

  /**
   * The function's memory, and with it its share of CPU. It mostly waits on the valuer, and its JVM
   * peaks far below this; more memory would mostly buy a faster start, which SnapStart gives.
   */
  static final int FUNCTION_MEMORY_MB = 512;

  /**
   * The JIT's first tier only: a function that runs for a fraction of a second is done before the
   * optimizing compiler would pay off, and it starts faster without it.
   */
  static final String FUNCTION_JVM_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

  /**
   * The token table's sparse index of accepted callbacks whose task is not settled yet, by which
   * the app finds stranded callbacks: partition key {@value #PENDING_SHARD} (string), sort key
   * {@value #ACCEPTED_AT} (number), projecting {@value #EXPIRES_AT} besides the keys.
   */
  public static final String PENDING_CALLBACKS_INDEX = "pendingCallbacks";

  public static final String PENDING_SHARD = "pendingShard";
  public static final String ACCEPTED_AT = "acceptedAtEpochMillis";
  public static final String EXPIRES_AT = "expiresAtEpochMillis";

  static final String WEBHOOK_PATH = "/webhooks/valuations";

  /**
   * What the RequestValuation function does to the token table: it reads an item only when the
   * valuer's reply is lost, to learn whether its callback came.
   */
  static final List<String> FUNCTION_TABLE_ACTIONS =
      List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem");

  /**
   * What the app does to the token table: it records callbacks and reads stranded ones, records
   * each submission ({@code PutItem}) and withdraws that record when the start fails ({@code
   * DeleteItem}).
   */
  static final List<String> APP_TABLE_ACTIONS =
      List.of("dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem");

  /** What the app does to the index of pending callbacks. */
  static final List<String> APP_INDEX_ACTIONS = List.of("dynamodb:Query");

  /** How the app resumes the loan processor's tasks. */
  static final List<String> APP_TASK_ACTIONS =
      List.of("states:SendTaskSuccess", "states:SendTaskFailure");

  static final String APP_MOCK_VALUER_PATH = "/valuer/valuations";

  private final Table taskTokenTable;
  private final Function requestValuationFunction;
  private final Alias requestValuationAlias;
  private final StateMachine stateMachine;
  private final ManagedPolicy appPolicy;

  /** A stack configured from the CDK context, see {@link Settings#fromContext}. */
  public LoanProcessorStack(Construct scope, String id, StackProps props) {
    this(scope, id, props, Settings.fromContext(scope.getNode()));
  }

  public LoanProcessorStack(Construct scope, String id, StackProps props, Settings settings) {
    super(scope, id, props);
    Objects.requireNonNull(settings, "'settings' must not be null");
    if (settings.publicBaseUrlDefaulted()) {
      Annotations.of(this)
          .addWarningV2(
              "valuationflow:publicBaseUrl",
              "No publicBaseUrl in the CDK context: valuers will call back "
                  + settings.callbackUrl()
                  + ", which only works for a valuer on your machine");
    }
    String stateMachineName = getStackName();
    // The state machine refers to the function, so the function knows the machine by its fixed
    // name: a reference back would be a cycle.
    String stateMachineArn = statesArn("stateMachine", stateMachineName);
    String executionArns = statesArn("execution", stateMachineName + ":*");

    taskTokenTable =
        Table.Builder.create(this, "TaskTokens")
            .partitionKey(
                Attribute.builder().name(PARTITION_KEY).type(AttributeType.STRING).build())
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .timeToLiveAttribute(TTL_ATTRIBUTE)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .removalPolicy(settings.removalPolicy())
            .build();
    taskTokenTable.addGlobalSecondaryIndex(
        GlobalSecondaryIndexProps.builder()
            .indexName(PENDING_CALLBACKS_INDEX)
            .partitionKey(
                Attribute.builder().name(PENDING_SHARD).type(AttributeType.STRING).build())
            .sortKey(Attribute.builder().name(ACCEPTED_AT).type(AttributeType.NUMBER).build())
            .projectionType(ProjectionType.INCLUDE)
            .nonKeyAttributes(List.of(EXPIRES_AT))
            .build());

    LogGroup logGroup =
        LogGroup.Builder.create(this, "RequestValuationLogs")
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(settings.removalPolicy())
            .build();
    requestValuationFunction =
        Function.Builder.create(this, "RequestValuationFunction")
            .description("Parks the task token and asks the valuer for a valuation")
            .runtime(Runtime.JAVA_21)
            .architecture(Architecture.ARM_64)
            .handler(FUNCTION_HANDLER)
            .code(Code.fromAsset(existingFile(settings.functionJar())))
            .memorySize(FUNCTION_MEMORY_MB)
            .timeout(Duration.seconds(30))
            // Started from a snapshot of its initialized JVM: the published version, not $LATEST.
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .environment(
                Map.of(
                    "TASK_TOKEN_TABLE", taskTokenTable.getTableName(),
                    "VALUER_URL", settings.valuerUrl(),
                    "CALLBACK_URL", settings.callbackUrl(),
                    "VALUER_TIMEOUT_MS", Integer.toString(settings.valuerTimeoutMillis()),
                    "STATE_MACHINE_ARN", stateMachineArn))
            .logGroup(logGroup)
            .role(FunctionRoles.writingTo(this, "RequestValuationFunctionRole", logGroup))
            .build();
    // Only what the local deployment's IAM record shows the function doing: parking a token
    // (PutItem) and recording the valuer's reply (UpdateItem), each one conditional write.
    // On the table alone: Table.grant would add its indexes, which the function never reads.
    requestValuationFunction.addToRolePolicy(onTable(FUNCTION_TABLE_ACTIONS));
    // The function fails the task when the valuer is unavailable, and resumes it when the
    // valuer's callback came before its reply. grantTaskResponse would refer to the state
    // machine, which refers to the function: a cycle. The fixed name breaks it.
    requestValuationFunction.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("states:SendTaskSuccess", "states:SendTaskFailure"))
            .resources(List.of(stateMachineArn))
            .build());
    // After TaskTimedOut on a send of its own, it reads the execution to learn whether the send
    // went through.
    requestValuationFunction.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("states:GetExecutionHistory"))
            .resources(List.of(executionArns))
            .build());

    // Each deployment of new code publishes a version (and its snapshot); the workflow invokes it
    // through the alias, so that it never waits for a JVM to start from nothing.
    requestValuationAlias =
        Alias.Builder.create(this, "RequestValuationLive")
            .aliasName(FUNCTION_ALIAS)
            .version(requestValuationFunction.getCurrentVersion())
            .build();

    stateMachine =
        new LoanProcessorStateMachine(
                this, "LoanProcessor", stateMachineName, requestValuationAlias)
            .stateMachine();

    appPolicy =
        ManagedPolicy.Builder.create(this, "AppPolicy")
            .description(
                "The ValuationFlow app in MODE=aws: starts and reads loan-processor executions,"
                    + " resumes their tasks, and uses the task token table")
            .build();
    stateMachine.grantStartExecution(appPolicy);
    // GET /loan-applications/{ref} and the execution view read executions; a submission only when
    // StartExecution refuses it (a repeat after the workflow ended, or another application).
    stateMachine.grantExecution(
        appPolicy, "states:DescribeExecution", "states:GetExecutionHistory");
    // The execution view lists executions and draws the definition they run.
    stateMachine.grant(appPolicy, "states:ListExecutions", "states:DescribeStateMachine");
    // The webhook resumes tasks and records callbacks (UpdateItem); it never heartbeats and never
    // parks a token. A submission records itself in the table (PutItem), so that a repeat is known
    // without reading the execution while it runs, and withdraws its record if the start fails
    // (DeleteItem). To find stranded callbacks the app queries the index of pending ones, then
    // reads each item found (GetItem), since the index lags the table.
    stateMachine.grant(appPolicy, APP_TASK_ACTIONS.toArray(String[]::new));
    appPolicy.addStatements(onTable(APP_TABLE_ACTIONS));
    appPolicy.addStatements(
        PolicyStatement.Builder.create()
            .actions(APP_INDEX_ACTIONS)
            .resources(List.of(taskTokenTable.getTableArn() + "/index/" + PENDING_CALLBACKS_INDEX))
            .build());

    LoanProcessorMonitoring monitoring =
        new LoanProcessorMonitoring(
            this,
            "Monitoring",
            getStackName(),
            stateMachine,
            requestValuationFunction,
            taskTokenTable);

    output("StateMachineArn", "STATE_MACHINE_ARN", stateMachine.getStateMachineArn());
    output(
        "AlarmTopicArn",
        "Subscribe to it: every alarm of the loan processor notifies this SNS topic",
        monitoring.alarmTopic().getTopicArn());
    output(
        "DashboardName",
        "The CloudWatch dashboard of the loan processor",
        monitoring.dashboard().getDashboardName());
    output("TaskTokenTable", "TASK_TOKEN_TABLE", taskTokenTable.getTableName());
    output("Region", "AWS_REGION", getRegion());
    output(
        "AppPolicyArn",
        "The managed policy to attach to the role or user the app runs as",
        appPolicy.getManagedPolicyArn());
    output(
        "CallbackUrl",
        "Where valuers call back: PUBLIC_BASE_URL must serve it",
        settings.callbackUrl());
    output(
        "RequestValuationFunctionName",
        "The RequestValuation function, for its logs",
        requestValuationFunction.getFunctionName());
  }

  private PolicyStatement onTable(List<String> actions) {
    return PolicyStatement.Builder.create()
        .actions(actions)
        .resources(List.of(taskTokenTable.getTableArn()))
        .build();
  }

  public Table taskTokenTable() {
    return taskTokenTable;
  }

  public Function requestValuationFunction() {
    return requestValuationFunction;
  }

  /** The alias the workflow invokes: the function's latest published version. */
  public Alias requestValuationAlias() {
    return requestValuationAlias;
  }

  public StateMachine stateMachine() {
    return stateMachine;
  }

  public ManagedPolicy appPolicy() {
    return appPolicy;
  }

  private static String existingFile(String path) {
    if (!Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "No function jar at "
              + Path.of(path).toAbsolutePath().normalize()
              + ": build it first with ./mvnw -DskipTests install from the project root");
    }
    return path;
  }

  private String statesArn(String resource, String resourceName) {
    return formatArn(
        ArnComponents.builder()
            .service("states")
            .resource(resource)
            .resourceName(resourceName)
            .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
            .build());
  }

  private void output(String id, String description, String value) {
    CfnOutput.Builder.create(this, id).description(description).value(value).build();
  }

  /**
   * How the loan processor is deployed.
   *
   * @param valuerUrl {@code VALUER_URL}, where the function requests valuations (may be a token,
   *     such as the mock valuer's URL)
   * @param publicBaseUrl the app's public URL, {@code PUBLIC_BASE_URL}; valuers call back {@code
   *     <publicBaseUrl>/webhooks/valuations}
   * @param publicBaseUrlDefaulted whether nobody chose the public URL
   * @param valuerTimeoutMillis {@code VALUER_TIMEOUT_MS}, at most 20 s, within the function's 30 s
   * @param removalPolicy what deleting the stack does to the table and the logs
   * @param functionJar the RequestValuation function's deployment package
   */
  public record Settings(
      String valuerUrl,
      String publicBaseUrl,
      boolean publicBaseUrlDefaulted,
      int valuerTimeoutMillis,
      RemovalPolicy removalPolicy,
      String functionJar) {

    public static final String DEFAULT_PUBLIC_BASE_URL = "http://localhost:8080";
    public static final String DEFAULT_FUNCTION_JAR =
        "../adapters-aws/target/request-valuation-function.jar";
    public static final int DEFAULT_VALUER_TIMEOUT_MILLIS = 10_000;

    public Settings {
      Objects.requireNonNull(valuerUrl, "'valuerUrl' must not be null");
      Objects.requireNonNull(publicBaseUrl, "'publicBaseUrl' must not be null");
      Objects.requireNonNull(removalPolicy, "'removalPolicy' must not be null");
      Objects.requireNonNull(functionJar, "'functionJar' must not be null");
      if (!publicBaseUrl.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
        throw new IllegalArgumentException(
            "'publicBaseUrl' must be an http(s) URL without query, was '" + publicBaseUrl + "'");
      }
      publicBaseUrl = publicBaseUrl.replaceAll("/+$", "");
      if (valuerTimeoutMillis < 1 || valuerTimeoutMillis > 20_000) {
        throw new IllegalArgumentException(
            "'valuerTimeoutMillis' (context valuerTimeoutMs) must be 1 to 20000, was "
                + valuerTimeoutMillis);
      }
    }

    /**
     * The settings in the CDK context ({@code -c key=value} or {@code cdk.json}): {@code
     * publicBaseUrl} (default {@value #DEFAULT_PUBLIC_BASE_URL}), {@code valuerUrl} (default the
     * app's own mock valuer, {@code <publicBaseUrl>/valuer/valuations}), {@code valuerTimeoutMs}
     * (default {@value #DEFAULT_VALUER_TIMEOUT_MILLIS}), {@code removalPolicy} ({@code retain}, the
     * default, or {@code destroy} for trials) and {@code requestValuationFunctionJar} (default
     * {@value #DEFAULT_FUNCTION_JAR}).
     */
    public static Settings fromContext(Node node) {
      String publicBaseUrl = context(node, "publicBaseUrl");
      String base = publicBaseUrl == null ? DEFAULT_PUBLIC_BASE_URL : publicBaseUrl;
      String valuerUrl = context(node, "valuerUrl");
      String timeout = context(node, "valuerTimeoutMs");
      String removal = context(node, "removalPolicy");
      String jar = context(node, "requestValuationFunctionJar");
      return new Settings(
          valuerUrl == null ? base.replaceAll("/+$", "") + APP_MOCK_VALUER_PATH : valuerUrl,
          base,
          publicBaseUrl == null,
          timeout == null ? DEFAULT_VALUER_TIMEOUT_MILLIS : parseInt("valuerTimeoutMs", timeout),
          removal == null ? RemovalPolicy.RETAIN : removalPolicy(removal),
          jar == null ? DEFAULT_FUNCTION_JAR : jar);
    }

    /** The same settings with another valuer URL. */
    public Settings withValuerUrl(String url) {
      return new Settings(
          url,
          publicBaseUrl,
          publicBaseUrlDefaulted,
          valuerTimeoutMillis,
          removalPolicy,
          functionJar);
    }

    /** {@code CALLBACK_URL}: the app's webhook. */
    public String callbackUrl() {
      return publicBaseUrl + WEBHOOK_PATH;
    }

    static String context(Node node, String key) {
      Object value = node.tryGetContext(key);
      return value == null || value.toString().isBlank() ? null : value.toString().strip();
    }

    private static int parseInt(String key, String text) {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Context '" + key + "' must be a whole number, was '" + text + "'", e);
      }
    }

    private static RemovalPolicy removalPolicy(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "destroy" -> RemovalPolicy.DESTROY;
        case "retain" -> RemovalPolicy.RETAIN;
        default ->
            throw new IllegalArgumentException(
                "Context 'removalPolicy' must be destroy or retain, was '" + text + "'");
      };
    }
  }
}
