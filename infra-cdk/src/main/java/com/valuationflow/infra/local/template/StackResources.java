package com.valuationflow.infra.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The physical names and attributes of one stack's resources in the local deployment, named as
 * CloudFormation names them when the template does not: {@code <stack>-<logicalId>}, within each
 * service's length limit, and ARNs in the local region and account.
 */
public final class StackResources implements Intrinsics.References {

  /** The shortest of the name limits: Lambda functions' and IAM roles'. */
  private static final int MAX_NAME = 64;

  private final String stackName;
  private final String region;
  private final String account;
  private final Map<String, JsonNode> resources;
  private final Map<String, String> extraAttributes = new HashMap<>();

  public StackResources(
      String stackName, String region, String account, Map<String, JsonNode> resources) {
    this.stackName = Objects.requireNonNull(stackName, "'stackName' must not be null");
    this.region = Objects.requireNonNull(region, "'region' must not be null");
    this.account = Objects.requireNonNull(account, "'account' must not be null");
    this.resources = Map.copyOf(resources);
  }

  /** Sets an attribute known only once the resource runs, such as a function URL's address. */
  public void setAttribute(String logicalId, String attribute, String value) {
    extraAttributes.put(logicalId + "." + attribute, value);
  }

  /** The resource's type, such as {@code AWS::Lambda::Function}. */
  public String type(String logicalId) {
    return resource(logicalId).path("Type").asText();
  }

  /** The resource's physical name: the one its template gives, or one made up for it. */
  public String name(String logicalId) {
    JsonNode properties = resource(logicalId).path("Properties");
    String nameProperty =
        switch (type(logicalId)) {
          case "AWS::DynamoDB::Table" -> "TableName";
          case "AWS::Lambda::Function" -> "FunctionName";
          case "AWS::IAM::Role" -> "RoleName";
          case "AWS::IAM::Policy" -> "PolicyName";
          case "AWS::IAM::ManagedPolicy" -> "ManagedPolicyName";
          case "AWS::StepFunctions::StateMachine" -> "StateMachineName";
          case "AWS::Logs::LogGroup" -> "LogGroupName";
          case "AWS::SecretsManager::Secret" -> "Name";
          case "AWS::SNS::Topic" -> "TopicName";
          case "AWS::CloudWatch::Alarm" -> "AlarmName";
          case "AWS::CloudWatch::Dashboard" -> "DashboardName";
          default -> "";
        };
    JsonNode given = properties.path(nameProperty);
    if (given.isTextual()) {
      return given.asText();
    }
    if (!given.isMissingNode()) {
      throw new IllegalArgumentException(
          "The local deployment takes literal names only: " + nameProperty + " of " + logicalId);
    }
    String generated = stackName + "-" + logicalId;
    return generated.length() <= MAX_NAME ? generated : generated.substring(0, MAX_NAME);
  }

  @Override
  public String ref(String logicalId) {
    String name = name(logicalId);
    return switch (type(logicalId)) {
      case "AWS::IAM::ManagedPolicy",
          "AWS::StepFunctions::StateMachine",
          "AWS::SecretsManager::Secret",
          "AWS::SNS::Topic" ->
          arn(logicalId);
      case "AWS::Lambda::Url" -> attribute(logicalId, "FunctionArn");
      case "AWS::Lambda::Version", "AWS::Lambda::Alias" -> arn(logicalId);
      default -> name;
    };
  }

  @Override
  public String attribute(String logicalId, String attribute) {
    String known = extraAttributes.get(logicalId + "." + attribute);
    if (known != null) {
      return known;
    }
    String type = type(logicalId);
    return switch (type + "." + attribute) {
      case "AWS::DynamoDB::Table.Arn",
          "AWS::Lambda::Function.Arn",
          "AWS::IAM::Role.Arn",
          "AWS::StepFunctions::StateMachine.Arn",
          "AWS::Logs::LogGroup.Arn",
          "AWS::IAM::ManagedPolicy.PolicyArn",
          "AWS::SecretsManager::Secret.Id",
          "AWS::SNS::Topic.TopicArn",
          "AWS::CloudWatch::Alarm.Arn" ->
          arn(logicalId);
      case "AWS::SNS::Topic.TopicName" -> name(logicalId);
      case "AWS::Lambda::Alias.AliasArn" -> arn(logicalId);
      case "AWS::Lambda::Version.Version" -> version(logicalId);
      case "AWS::Lambda::Version.FunctionArn" -> functionArnOf(logicalId);
      case "AWS::StepFunctions::StateMachine.Name" -> name(logicalId);
      case "AWS::IAM::Role.RoleId" ->
          "AROA" + Integer.toHexString(logicalId.hashCode()).toUpperCase();
      case "AWS::Lambda::Url.FunctionArn" ->
          new Intrinsics(Map.of(), this, Map.of())
              .text(resource(logicalId).path("Properties").path("TargetFunctionArn"));
      default ->
          throw new IllegalArgumentException(
              "The local deployment does not know the attribute "
                  + attribute
                  + " of "
                  + type
                  + " "
                  + logicalId);
    };
  }

  /** The resource's ARN in the local region and account. */
  public String arn(String logicalId) {
    String known = extraAttributes.get(logicalId + ".Arn");
    if (known != null) {
      return known;
    }
    String name = name(logicalId);
    return switch (type(logicalId)) {
      case "AWS::DynamoDB::Table" ->
          "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
      case "AWS::Lambda::Function" -> functionArn(name);
      case "AWS::Lambda::Version" -> functionArnOf(logicalId) + ":" + version(logicalId);
      case "AWS::Lambda::Alias" ->
          functionArnOf(logicalId)
              + ":"
              + resource(logicalId).path("Properties").path("Name").asText();
      case "AWS::IAM::Role" -> "arn:aws:iam::" + account + ":role/" + name;
      case "AWS::IAM::ManagedPolicy" -> "arn:aws:iam::" + account + ":policy/" + name;
      case "AWS::StepFunctions::StateMachine" ->
          "arn:aws:states:" + region + ":" + account + ":stateMachine:" + name;
      case "AWS::Logs::LogGroup" ->
          "arn:aws:logs:" + region + ":" + account + ":log-group:" + name + ":*";
      case "AWS::SNS::Topic" -> "arn:aws:sns:" + region + ":" + account + ":" + name;
      case "AWS::CloudWatch::Alarm" ->
          "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + name;
      default ->
          throw new IllegalArgumentException(
              "The local deployment has no ARN for " + type(logicalId) + " " + logicalId);
    };
  }

  /**
   * A published version's number: versions of one function count from 1 in the order of their
   * logical IDs (a stack publishes one per function, its current code).
   */
  public String version(String logicalId) {
    String function = functionArnOf(logicalId);
    long earlier =
        resources.entrySet().stream()
            .filter(e -> "AWS::Lambda::Version".equals(e.getValue().path("Type").asText()))
            .filter(e -> e.getKey().compareTo(logicalId) < 0)
            .filter(e -> functionArnOf(e.getKey()).equals(function))
            .count();
    return Long.toString(earlier + 1);
  }

  /** The unqualified ARN of the function a version or alias belongs to. */
  public String functionArnOf(String logicalId) {
    String given =
        new Intrinsics(Map.of(), this, Map.of())
            .text(resource(logicalId).path("Properties").path("FunctionName"));
    return given.startsWith("arn:") ? given : functionArn(given);
  }

  private String functionArn(String name) {
    return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
  }

  private JsonNode resource(String logicalId) {
    JsonNode resource = resources.get(logicalId);
    if (resource == null) {
      throw new IllegalArgumentException(
          "Stack " + stackName + " has no resource named '" + logicalId + "'");
    }
    return resource;
  }
}
