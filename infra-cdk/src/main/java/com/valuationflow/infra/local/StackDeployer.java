package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.infra.local.lambda.FunctionConfig;
import com.valuationflow.infra.local.lambda.FunctionUrlServer;
import com.valuationflow.infra.local.secrets.LocalSecretsManager;
import com.valuationflow.infra.local.stepfunctions.LocalStepFunctions;
import com.valuationflow.infra.local.template.CloudAssembly.StackTemplate;
import com.valuationflow.infra.local.template.Intrinsics;
import com.valuationflow.infra.local.template.StackResources;
import com.valuationflow.inmemory.workflow.TaskHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deploys one stack's template into the local services, in the order their references allow: the
 * whole template checked first; function URLs (their addresses are attributes others read), tables,
 * secrets (their ARNs are the service's), IAM, functions and state machines; last the outputs and
 * exports. Names and ARNs come from {@link StackResources}.
 */
final class StackDeployer {

  /**
   * Resource types that need nothing locally: their names and ARNs are all others read. Alarms,
   * their topic and dashboards watch CloudWatch metrics, which nothing records locally.
   */
  private static final Set<String> NAME_ONLY =
      Set.of(
          "AWS::Logs::LogGroup",
          "AWS::CDK::Metadata",
          "AWS::SNS::Topic",
          "AWS::CloudWatch::Alarm",
          "AWS::CloudWatch::Dashboard");

  private final LocalServices services;
  private final StackTemplate stack;
  private final Map<String, JsonNode> resources;
  private final StackResources names;
  private final Intrinsics intrinsics;
  private final Map<String, String> exports;

  /**
   * @param exports the exports of the stacks deployed before; this stack's are added to them
   */
  StackDeployer(LocalServices services, StackTemplate stack, Map<String, String> exports) {
    this.services = services;
    this.exports = exports;
    this.stack = stack;
    this.resources = stack.resources();
    this.names = new StackResources(stack.name(), services.region(), services.account(), resources);
    this.intrinsics =
        new Intrinsics(
            Map.of(
                "AWS::Region",
                services.region(),
                "AWS::AccountId",
                services.account(),
                "AWS::Partition",
                "aws",
                "AWS::URLSuffix",
                "amazonaws.com",
                "AWS::StackName",
                stack.name(),
                "AWS::StackId",
                "arn:aws:cloudformation:"
                    + services.region()
                    + ":"
                    + services.account()
                    + ":stack/"
                    + stack.name()
                    + "/local"),
            names,
            exports);
  }

  /** Deploys the stack; its outputs by output name. */
  Map<String, String> deploy() {
    refuseWhatCannotRunLocally();
    each("AWS::Lambda::Url", this::functionUrl);
    each("AWS::DynamoDB::Table", this::table);
    each("AWS::SecretsManager::Secret", this::secret);
    StackIam iam = new StackIam(services, resources, names, intrinsics);
    each("AWS::IAM::Role", iam::role);
    each("AWS::IAM::Policy", iam::policy);
    each("AWS::IAM::ManagedPolicy", iam::managedPolicy);
    each("AWS::Lambda::Permission", iam::permission);
    each("AWS::Lambda::Function", this::function);
    each("AWS::Lambda::Version", this::version);
    each("AWS::Lambda::Alias", this::alias);
    each("AWS::StepFunctions::StateMachine", this::stateMachine);
    Map<String, String> outputs = new LinkedHashMap<>();
    stack
        .template()
        .path("Outputs")
        .fields()
        .forEachRemaining(
            output -> {
              String value = intrinsics.text(output.getValue().path("Value"));
              outputs.put(output.getKey(), value);
              JsonNode export = output.getValue().path("Export").path("Name");
              if (!export.isMissingNode()) {
                exports.put(intrinsics.text(export), value);
              }
            });
    return outputs;
  }

  private static final Set<String> DEPLOYED =
      Set.of(
          "AWS::Lambda::Url",
          "AWS::IAM::Role",
          "AWS::IAM::Policy",
          "AWS::IAM::ManagedPolicy",
          "AWS::Lambda::Permission",
          "AWS::DynamoDB::Table",
          "AWS::SecretsManager::Secret",
          "AWS::Lambda::Function",
          "AWS::Lambda::Version",
          "AWS::Lambda::Alias",
          "AWS::StepFunctions::StateMachine");

  /** Checks the whole template before anything starts, rather than deploying it wrongly. */
  private void refuseWhatCannotRunLocally() {
    if (stack.template().has("Conditions")) {
      throw new IllegalArgumentException(
          "The local deployment does not evaluate template Conditions (" + stack.name() + ")");
    }
    resources.forEach(
        (id, resource) -> {
          String type = resource.path("Type").asText();
          if (!NAME_ONLY.contains(type) && !DEPLOYED.contains(type)) {
            throw new IllegalArgumentException(
                "The local deployment cannot deploy " + type + " " + id + " of " + stack.name());
          }
          if (type.equals("AWS::Lambda::Url")
              && !"NONE".equals(resource.path("Properties").path("AuthType").asText())) {
            throw new IllegalArgumentException(
                "The local deployment serves function URLs with AuthType NONE only: " + id);
          }
        });
  }

  private interface ResourceAction {
    void deploy(String logicalId, JsonNode properties);
  }

  private void each(String type, ResourceAction action) {
    resources.forEach(
        (id, resource) -> {
          if (type.equals(resource.path("Type").asText())) {
            action.deploy(id, resource.path("Properties"));
          }
        });
  }

  private void functionUrl(String id, JsonNode properties) {
    String functionArn = intrinsics.text(properties.path("TargetFunctionArn"));
    FunctionUrlServer server =
        services.add(new FunctionUrlServer(services.lambda(), functionArn, services.iam()));
    names.setAttribute(id, "FunctionUrl", server.url().toString());
  }

  private void table(String id, JsonNode properties) {
    services.dynamoDb().createTable(names.name(id), intrinsics.resolve(properties));
  }

  private void secret(String id, JsonNode properties) {
    JsonNode resolved = intrinsics.resolve(properties);
    String value =
        resolved.has("SecretString")
            ? resolved.get("SecretString").asText()
            : LocalSecretsManager.generateSecretString(resolved.path("GenerateSecretString"));
    names.setAttribute(id, "Arn", services.secretsManager().createSecret(names.name(id), value));
  }

  private void function(String id, JsonNode properties) {
    String name = names.name(id);
    String arn = names.arn(id);
    String role = intrinsics.text(properties.path("Role"));
    Principals.Credentials credentials = services.principals().credentials(role);
    Map<String, String> environment = new LinkedHashMap<>();
    properties
        .path("Environment")
        .path("Variables")
        .fields()
        .forEachRemaining(v -> environment.put(v.getKey(), intrinsics.text(v.getValue())));
    environment.put("AWS_REGION", services.region());
    environment.put("AWS_DEFAULT_REGION", services.region());
    environment.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
    environment.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
    environment.put("AWS_ENDPOINT_URL", services.endpoint().toString());
    services
        .lambda()
        .create(
            new FunctionConfig(
                name,
                arn,
                properties.path("Runtime").asText(),
                properties.path("Handler").asText(),
                code(name, properties.path("Code")),
                environment,
                Duration.ofSeconds(properties.path("Timeout").asInt(3)),
                properties.path("MemorySize").asInt(128)));
    String logGroup =
        properties.path("LoggingConfig").has("LogGroup")
            ? intrinsics.text(properties.path("LoggingConfig").path("LogGroup"))
            : "/aws/lambda/" + name;
    services.functionLogs(
        arn,
        role,
        "arn:aws:logs:"
            + services.region()
            + ":"
            + services.account()
            + ":log-group:"
            + logGroup
            + ":*");
  }

  private void version(String id, JsonNode properties) {
    services.lambda().publishVersion(names.functionArnOf(id), names.version(id));
  }

  private void alias(String id, JsonNode properties) {
    services
        .lambda()
        .createAlias(
            names.functionArnOf(id),
            properties.path("Name").asText(),
            intrinsics.text(properties.path("FunctionVersion")));
  }

  /** The function's code as Lambda's {@code /var/task} holds it. */
  private Path code(String functionName, JsonNode code) {
    Path directory = services.workDirectory().resolve("functions").resolve(functionName);
    try {
      if (code.has("ZipFile")) {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("index.js"), intrinsics.text(code.get("ZipFile")));
        return directory;
      }
      String key = intrinsics.text(code.path("S3Key"));
      Path asset =
          stack
              .asset(key)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "Function " + functionName + ": no asset " + key + " in the assembly"));
      if (Files.isDirectory(asset)) {
        return asset;
      }
      Zip.replace(asset, directory);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not lay out the code of " + functionName, e);
    }
  }

  private void stateMachine(String id, JsonNode properties) {
    String definition =
        properties.has("DefinitionString")
            ? intrinsics.text(properties.get("DefinitionString"))
            : intrinsics.resolve(properties.path("Definition")).toString();
    JsonNode substitutions = intrinsics.resolve(properties.path("DefinitionSubstitutions"));
    if (substitutions.isObject()) {
      for (var it = substitutions.fields(); it.hasNext(); ) {
        var entry = it.next();
        definition = definition.replace("${" + entry.getKey() + "}", entry.getValue().asText());
      }
    }
    String role = intrinsics.text(properties.path("RoleArn"));
    LocalStepFunctions stepFunctions = services.stepFunctions();
    Map<String, TaskHandler> functions = new LinkedHashMap<>();
    for (String type :
        List.of("AWS::Lambda::Function", "AWS::Lambda::Version", "AWS::Lambda::Alias")) {
      each(
          type,
          (functionId, ignored) ->
              functions.put(
                  names.arn(functionId),
                  new LambdaTaskHandler(
                      services.lambda(), services.iam(), role, names.arn(functionId))));
    }
    stepFunctions.createStateMachine(names.name(id), definition, role, functions);
  }
}
