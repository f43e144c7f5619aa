package com.valuationflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The loan processor's alarms, their topic, its dashboard, and how its data is kept. */
class LoanProcessorMonitoringTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Template template;
  private static String topicId;

  @BeforeAll
  static void synthesize() {
    template = Template.fromStack(TestAssets.loanProcessorStack());
    topicId = template.getResourceId("AWS::SNS::Topic");
  }

  @Test
  void anAlarmWatchesEachWayTheLoanProcessorGoesWrong() {
    Map<String, String> watched = new TreeMap<>();
    for (Object alarm : template.findResources("AWS::CloudWatch::Alarm").values()) {
      JsonNode properties = MAPPER.valueToTree(alarm).path("Properties");
      watched.put(
          properties.path("Namespace").asText() + " " + properties.path("MetricName").asText(),
          properties.path("Statistic").asText()
              + " >= "
              + properties.path("Threshold").asInt()
              + " in "
              + properties.path("Period").asInt()
              + " s, missing data "
              + properties.path("TreatMissingData").asText());
    }

    assertThat(watched)
        .containsOnlyKeys(
            "AWS/States ExecutionsFailed",
            "AWS/States ExecutionsTimedOut",
            "AWS/States ExecutionsAborted",
            "AWS/States ExecutionThrottled",
            "AWS/Lambda Errors",
            "AWS/Lambda Throttles",
            "AWS/DynamoDB ReadThrottleEvents",
            "AWS/DynamoDB WriteThrottleEvents")
        .allSatisfy(
            (metric, rule) ->
                assertThat(rule).isEqualTo("Sum >= 1 in 300 s, missing data notBreaching"));
  }

  @Test
  void everyAlarmNotifiesTheTopicWhenItFiresAndWhenItClears() {
    Map<String, Object> topic = Map.of("Ref", topicId);
    assertThat(template.findResources("AWS::CloudWatch::Alarm")).hasSize(8);
    assertThat(
            template.findResources(
                "AWS::CloudWatch::Alarm",
                Map.of(
                    "Properties",
                    Map.of("AlarmActions", List.of(topic), "OKActions", List.of(topic)))))
        .hasSize(8);
    template.hasOutput("AlarmTopicArn", Map.of("Value", Map.of("Ref", topicId)));
  }

  @Test
  void aDashboardShowsTheAlarmsAndTheirMetrics() {
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    String body =
        MAPPER
            .valueToTree(
                template.findResources("AWS::CloudWatch::Dashboard").values().iterator().next())
            .path("Properties")
            .path("DashboardBody")
            .toString();
    assertThat(body)
        .contains(
            "\\\"alarm\\\"",
            "ExecutionsFailed",
            "ExecutionsSucceeded",
            "Invocations",
            "WriteThrottleEvents");
    template.hasOutput("DashboardName", Match.anyValue());
  }

  @Test
  void theTokenTableHasPointInTimeRecoveryAndOutlivesTheStackUnlessToldOtherwise() {
    template.hasResource(
        "AWS::DynamoDB::Table",
        Map.of(
            "Properties",
            Map.of("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)),
            "DeletionPolicy",
            "Retain",
            "UpdateReplacePolicy",
            "Retain"));

    LoanProcessorStack.Settings trial =
        new LoanProcessorStack.Settings(
            TestAssets.VALUER_URL,
            TestAssets.PUBLIC_BASE_URL,
            false,
            10_000,
            RemovalPolicy.DESTROY,
            TestAssets.functionJar());
    Template forTrials =
        Template.fromStack(
            new LoanProcessorStack(new App(), "Trial", StackProps.builder().build(), trial));
    forTrials.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Delete"));
  }
}
