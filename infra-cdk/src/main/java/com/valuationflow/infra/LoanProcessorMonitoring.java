package com.valuationflow.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * What tells operators that the loan processor needs them: an alarm for each way it goes wrong
 * (executions failed, timed out, aborted or throttled; the request-valuation function's errors and
 * throttles; throttling on the token table), each notifying one SNS topic, and a dashboard of the
 * same metrics. Every alarm fires on one occurrence within {@value #PERIOD_MINUTES} minutes and
 * treats missing data as fine: a quiet system is a healthy one.
 */
final class LoanProcessorMonitoring extends Construct {

  static final int PERIOD_MINUTES = 5;

  private final Topic alarmTopic;
  private final Dashboard dashboard;
  private final List<IAlarm> alarms = new ArrayList<>();

  LoanProcessorMonitoring(
      Construct scope,
      String id,
      String name,
      StateMachine stateMachine,
      Function requestValuationFunction,
      Table taskTokenTable) {
    super(scope, id);
    alarmTopic = Topic.Builder.create(this, "AlarmTopic").displayName(name + " alarms").build();

    MetricOptions sum = sumOverPeriod();
    IMetric failed = stateMachine.metricFailed(sum);
    IMetric timedOut = stateMachine.metricTimedOut(sum);
    IMetric aborted = stateMachine.metricAborted(sum);
    IMetric throttled = stateMachine.metricThrottled(sum);
    IMetric functionErrors = requestValuationFunction.metricErrors(sum);
    IMetric functionThrottles = requestValuationFunction.metricThrottles(sum);
    IMetric readThrottles = taskTokenTable.metric("ReadThrottleEvents", sum);
    IMetric writeThrottles = taskTokenTable.metric("WriteThrottleEvents", sum);

    alarm("ExecutionsFailed", failed, "A loan application's workflow failed");
    alarm("ExecutionsTimedOut", timedOut, "A loan application's workflow timed out");
    alarm("ExecutionsAborted", aborted, "A loan application's workflow was stopped");
    alarm("ExecutionsThrottled", throttled, "Step Functions throttled the loan processor");
    alarm("FunctionErrors", functionErrors, "The request-valuation function failed");
    alarm(
        "FunctionThrottles", functionThrottles, "Lambda throttled the request-valuation function");
    alarm("TableReadThrottles", readThrottles, "DynamoDB throttled reads of the token table");
    alarm("TableWriteThrottles", writeThrottles, "DynamoDB throttled writes to the token table");

    List<IWidget> executions =
        List.of(
            graph(
                "Executions",
                stateMachine.metricStarted(sum),
                stateMachine.metricSucceeded(sum),
                failed,
                timedOut,
                aborted,
                throttled),
            graph(
                "Request-valuation function",
                requestValuationFunction.metricInvocations(sum),
                functionErrors,
                functionThrottles),
            graph("Token table throttling", readThrottles, writeThrottles));
    dashboard =
        Dashboard.Builder.create(this, "Dashboard")
            .dashboardName(name)
            .widgets(
                List.of(
                    List.of(
                        AlarmStatusWidget.Builder.create()
                            .title("Alarms")
                            .alarms(alarms)
                            .width(24)
                            .build()),
                    executions))
            .build();
  }

  /** The topic every alarm notifies: subscribe the on-call address or pager to it. */
  Topic alarmTopic() {
    return alarmTopic;
  }

  Dashboard dashboard() {
    return dashboard;
  }

  private static MetricOptions sumOverPeriod() {
    return MetricOptions.builder()
        .statistic("Sum")
        .period(Duration.minutes(PERIOD_MINUTES))
        .build();
  }

  private void alarm(String id, IMetric metric, String description) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
            .alarmDescription(description)
            .metric(metric)
            .threshold(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .evaluationPeriods(1)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build();
    SnsAction notify = new SnsAction(alarmTopic);
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
    alarms.add(alarm);
  }

  private static GraphWidget graph(String title, IMetric... metrics) {
    return GraphWidget.Builder.create().title(title).left(List.of(metrics)).width(8).build();
  }
}
