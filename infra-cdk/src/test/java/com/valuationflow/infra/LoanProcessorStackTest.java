package com.valuationflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.aws.RequestValuationFunction;
import com.valuationflow.aws.TaskTokenTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.MatchResult;
import software.amazon.awscdk.assertions.Template;

/**
 * The loan processor's resources, permissions and outputs. {@link Template#fromStack} also proves
 * the template has no dependency cycle: it refuses an undeployable one.
 */
class LoanProcessorStackTest {

  private static Template template;
  private static String tableId;
  private static String functionId;
  private static String aliasId;
  private static String stateMachineId;

  @BeforeAll
  static void synthesize() {
    template = Template.fromStack(TestAssets.loanProcessorStack());
    tableId = template.getResourceId("AWS::DynamoDB::Table");
    functionId = template.getResourceId("AWS::Lambda::Function");
    aliasId = template.getResourceId("AWS::Lambda::Alias");
    stateMachineId = template.getResourceId("AWS::StepFunctions::StateMachine");
  }

  @Test
  void theTokenTableHasTheKeyAndTimeToLiveTheDynamoDbAdapterUses() {
    assertThat(LoanProcessorStack.PARTITION_KEY).isEqualTo(TaskTokenTable.PARTITION_KEY);
    assertThat(LoanProcessorStack.TTL_ATTRIBUTE).isEqualTo(TaskTokenTable.TTL_ATTRIBUTE);
    assertThat(LoanProcessorStack.PENDING_CALLBACKS_INDEX)
        .isEqualTo(TaskTokenTable.PENDING_CALLBACKS_INDEX);
    assertThat(LoanProcessorStack.PENDING_SHARD).isEqualTo(TaskTokenTable.PENDING_SHARD);
    assertThat(LoanProcessorStack.ACCEPTED_AT).isEqualTo(TaskTokenTable.ACCEPTED_AT);
    assertThat(LoanProcessorStack.EXPIRES_AT).isEqualTo(TaskTokenTable.EXPIRES_AT);
    template.hasResource(
        "AWS::DynamoDB::Table",
        Map.of(
            "Properties",
            Map.of(
                "KeySchema",
                List.of(Map.of("AttributeName", TaskTokenTable.PARTITION_KEY, "KeyType", "HASH")),
                "AttributeDefinitions",
                Match.arrayEquals(
                    List.of(
                        Map.of("AttributeName", TaskTokenTable.PARTITION_KEY, "AttributeType", "S"),
                        Map.of("AttributeName", TaskTokenTable.PENDING_SHARD, "AttributeType", "S"),
                        Map.of("AttributeName", TaskTokenTable.ACCEPTED_AT, "AttributeType", "N"))),
                "GlobalSecondaryIndexes",
                List.of(
                    Map.of(
                        "IndexName",
                        TaskTokenTable.PENDING_CALLBACKS_INDEX,
                        "KeySchema",
                        List.of(
                            Map.of(
                                "AttributeName", TaskTokenTable.PENDING_SHARD, "KeyType", "HASH"),
                            Map.of(
                                "AttributeName", TaskTokenTable.ACCEPTED_AT, "KeyType", "RANGE")),
                        "Projection",
                        Map.of(
                            "ProjectionType",
                            "INCLUDE",
                            "NonKeyAttributes",
                            List.of(TaskTokenTable.EXPIRES_AT)))),
                "BillingMode",
                "PAY_PER_REQUEST",
                "TimeToLiveSpecification",
                Map.of("AttributeName", TaskTokenTable.TTL_ATTRIBUTE, "Enabled", true)),
            "DeletionPolicy",
            "Retain"));
  }

  @Test
  void theFunctionRunsTheRequestValuationHandlerWithTheVariablesItReads() throws Exception {
    // in the unnamed package, so that Lambda names the function's errors as the workflow expects
    assertThat(
            Class.forName("RequestValuationHandler")
                .getMethod(
                    "handleRequest",
                    Map.class,
                    com.amazonaws.services.lambda.runtime.Context.class))
        .isNotNull();
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Runtime",
            "java21",
            "Handler",
            "RequestValuationHandler::handleRequest",
            "MemorySize",
            512,
            "Timeout",
            30,
            "Architectures",
            List.of("arm64"),
            "Environment",
            Map.of(
                "Variables",
                Map.of(
                    RequestValuationFunction.TASK_TOKEN_TABLE,
                    Map.of("Ref", tableId),
                    RequestValuationFunction.VALUER_URL,
                    TestAssets.VALUER_URL,
                    RequestValuationFunction.CALLBACK_URL,
                    TestAssets.PUBLIC_BASE_URL + "/webhooks/valuations",
                    RequestValuationFunction.VALUER_TIMEOUT_MS,
                    "10000"))));
  }

  @Test
  void theWorkflowInvokesThePublishedVersionThroughAnAliasSoThatItStartsFromASnapshot() {
    template.hasResourceProperties(
        "AWS::Lambda::Function", Map.of("SnapStart", Map.of("ApplyOn", "PublishedVersions")));
    String versionId = template.getResourceId("AWS::Lambda::Version");
    template.hasResourceProperties(
        "AWS::Lambda::Version", Map.of("FunctionName", Map.of("Ref", functionId)));
    template.hasResourceProperties(
        "AWS::Lambda::Alias",
        Map.of(
            "Name",
            "live",
            "FunctionName",
            Map.of("Ref", functionId),
            "FunctionVersion",
            Map.of("Fn::GetAtt", List.of(versionId, "Version"))));
  }

  @Test
  void theStateMachineIsAStandardWorkflowWaitingForTheFunctionsTaskToken() {
    Capture definition = new Capture();
    template.hasResourceProperties(
        "AWS::StepFunctions::StateMachine",
        Map.of(
            "StateMachineType", "STANDARD",
            "StateMachineName", "LoanProcessor",
            "DefinitionString", definition));

    String asl = Definitions.asl(definition.asObject(), Map.of(aliasId, "FUNCTION_ARN"));
    Map<String, Object> requestValuation =
        Map.of(
            "Type", "Task",
            "Resource", "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters",
                Map.of(
                    "FunctionName",
                    "FUNCTION_ARN",
                    "Payload",
                    Map.of("taskToken.$", "$$.Task.Token", "loanApplication.$", "$")),
            "TimeoutSecondsPath", "$.valuationTimeoutSeconds",
            "ResultPath", "$.valuation");
    MatchResult result =
        Match.serializedJson(
                Match.objectLike(
                    Map.of(
                        "StartAt",
                        "RequestValuation",
                        "States",
                        Match.objectLike(
                            Map.of("RequestValuation", Match.objectLike(requestValuation))))))
            .test(asl);
    assertThat(result.hasFailed()).as(result::renderMismatch).isFalse();
    JsonNode retries = Definitions.json(asl).at("/States/RequestValuation/Retry");
    assertThat(retries.at("/0/ErrorEquals/0").asText())
        .as("CDK's retry on Lambda's service errors first")
        .isEqualTo("Lambda.ClientExecutionTimeoutException");
    assertThat(retries.at("/1/ErrorEquals/0").asText()).isEqualTo("ValuerUnavailable");
  }

  @Test
  void theStateMachineMayInvokeTheFunctionsAliasAndNothingElse() {
    template.hasResourceProperties(
        "AWS::IAM::Policy",
        Map.of(
            "PolicyDocument",
            Map.of(
                "Statement",
                List.of(
                    Map.of(
                        "Action", "lambda:InvokeFunction",
                        "Effect", "Allow",
                        "Resource", Map.of("Ref", aliasId))))));
  }

  @Test
  void theFunctionMayUseTheTableAndResumeTasksOfTheMachineNamedWithoutReferringToIt() {
    Capture name = new Capture();
    template.hasResourceProperties(
        "AWS::StepFunctions::StateMachine", Map.of("StateMachineName", name));

    template.hasResourceProperties(
        "AWS::IAM::Policy",
        Map.of(
            "Roles",
            List.of(Map.of("Ref", roleOf(functionId))),
            "PolicyDocument",
            Map.of(
                "Statement",
                Match.arrayWith(
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Action",
                                List.of(
                                    "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem"),
                                "Resource",
                                Map.of("Fn::GetAtt", List.of(tableId, "Arn")))),
                        Map.of(
                            "Action",
                            List.of("states:SendTaskSuccess", "states:SendTaskFailure"),
                            "Effect",
                            "Allow",
                            "Resource",
                            TemplateArns.states("stateMachine:" + name.asString())))))));
  }

  @Test
  void theFunctionKnowsItsMachineAndMayReadItsExecutionsHistoriesToLearnWhetherASendWentThrough() {
    Capture name = new Capture();
    template.hasResourceProperties(
        "AWS::StepFunctions::StateMachine", Map.of("StateMachineName", name));
    Object machineArn =
        Match.objectLike(
            Map.of(
                "Fn::Join",
                List.of("", Match.arrayWith(List.of(":stateMachine:" + name.asString())))));
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of("Variables", Match.objectLike(Map.of("STATE_MACHINE_ARN", machineArn)))));

    Object executionArns =
        Match.objectLike(
            Map.of(
                "Fn::Join",
                List.of("", Match.arrayWith(List.of(":execution:" + name.asString() + ":*")))));
    Object readHistory =
        Match.objectLike(Map.of("Action", "states:GetExecutionHistory", "Resource", executionArns));
    template.hasResourceProperties(
        "AWS::IAM::Policy",
        Map.of(
            "Roles",
            List.of(Map.of("Ref", roleOf(functionId))),
            "PolicyDocument",
            Map.of("Statement", Match.arrayWith(List.of(readHistory)))));
  }

  @Test
  void theAppPolicyStartsReadsAndResumesExecutionsAndUsesTheTable() {
    Map<String, Object> machine = Map.of("Ref", stateMachineId);
    template.hasResourceProperties(
        "AWS::IAM::ManagedPolicy",
        Map.of(
            "PolicyDocument",
            Map.of(
                "Statement",
                Match.arrayWith(
                    List.of(
                        Map.of(
                            "Action", "states:StartExecution",
                            "Effect", "Allow",
                            "Resource", machine),
                        Match.objectLike(
                            Map.of(
                                "Action",
                                List.of("states:DescribeExecution", "states:GetExecutionHistory"),
                                "Resource",
                                Match.objectLike(
                                    Map.of(
                                        "Fn::Join",
                                        List.of(
                                            "", Match.arrayWith(List.of(":execution:", ":*"))))))),
                        Map.of(
                            "Action",
                            List.of("states:ListExecutions", "states:DescribeStateMachine"),
                            "Effect",
                            "Allow",
                            "Resource",
                            machine),
                        Map.of(
                            "Action",
                            List.of("states:SendTaskSuccess", "states:SendTaskFailure"),
                            "Effect",
                            "Allow",
                            "Resource",
                            machine),
                        Match.objectLike(
                            Map.of(
                                "Action",
                                List.of(
                                    "dynamodb:UpdateItem",
                                    "dynamodb:GetItem",
                                    "dynamodb:PutItem",
                                    "dynamodb:DeleteItem"),
                                "Resource",
                                Map.of("Fn::GetAtt", List.of(tableId, "Arn")))),
                        Match.objectLike(
                            Map.of(
                                "Action",
                                "dynamodb:Query",
                                "Resource",
                                Map.of(
                                    "Fn::Join",
                                    List.of(
                                        "",
                                        List.of(
                                            Map.of("Fn::GetAtt", List.of(tableId, "Arn")),
                                            "/index/"
                                                + TaskTokenTable.PENDING_CALLBACKS_INDEX))))))))));
  }

  @Test
  void noPolicyGrantsAnythingOnEveryResource() {
    List<Object> resources = new ArrayList<>();
    for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
      template
          .findResources(type)
          .values()
          .forEach(
              policy -> {
                Map<?, ?> document =
                    (Map<?, ?>) ((Map<?, ?>) policy.get("Properties")).get("PolicyDocument");
                for (Object statement : (List<?>) document.get("Statement")) {
                  Object resource = ((Map<?, ?>) statement).get("Resource");
                  if (resource instanceof List) {
                    resources.addAll((List<?>) resource);
                  } else {
                    resources.add(resource);
                  }
                }
              });
    }

    assertThat(resources).hasSizeGreaterThanOrEqualTo(8).doesNotContain("*").doesNotContainNull();
  }

  @Test
  void theOutputsAreTheAppsAwsSettings() {
    template.hasOutput(
        "StateMachineArn",
        Map.of("Description", "STATE_MACHINE_ARN", "Value", Map.of("Ref", stateMachineId)));
    template.hasOutput(
        "TaskTokenTable",
        Map.of("Description", "TASK_TOKEN_TABLE", "Value", Map.of("Ref", tableId)));
    template.hasOutput(
        "Region", Map.of("Description", "AWS_REGION", "Value", Map.of("Ref", "AWS::Region")));
    template.hasOutput(
        "AppPolicyArn",
        Map.of("Value", Map.of("Ref", template.getResourceId("AWS::IAM::ManagedPolicy"))));
    template.hasOutput(
        "CallbackUrl", Map.of("Value", TestAssets.PUBLIC_BASE_URL + "/webhooks/valuations"));
  }

  private static String roleOf(String lambdaFunctionId) {
    Map<?, ?> function = template.findResources("AWS::Lambda::Function").get(lambdaFunctionId);
    Map<?, ?> role = (Map<?, ?>) ((Map<?, ?>) function.get("Properties")).get("Role");
    return (String) ((List<?>) role.get("Fn::GetAtt")).get(0);
  }
}
