package com.valuationflow.infra.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.infra.InfraApp;
import com.valuationflow.infra.local.lambda.InvokeResult;
import com.valuationflow.infra.local.lambda.LocalLambda;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * How the request-valuation function starts: in the local deployment, the function's alias is
 * invoked with a real loan application on a fresh instance (the JVM started, the handler
 * initialized, then the first invocation: parking the token in DynamoDB Local and asking the
 * deployed mock valuer), then once more warm, round after round. Prints Lambda's own figures from
 * the function's {@code REPORT} lines. Not part of the build: run it with {@code ./mvnw -pl
 * infra-cdk -am verify -Pbenchmark -Dtest=RequestValuationColdStartBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dcold.rounds=N} sets the rounds (default 6).
 */
class RequestValuationColdStartBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REPORT =
      Pattern.compile(
          "REPORT RequestId: (\\S+)\\tDuration: ([0-9.]+) ms.*?Max Memory Used: (\\d+) MB"
              + "(?:\\tInit Duration: ([0-9.]+) ms)?");

  @Test
  void measuresTheColdStartAndTheFirstInvocation() throws Exception {
    int rounds = Integer.getInteger("cold.rounds", 6);
    Path work =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "local-aws-tests")), "cold");
    try (LocalDeployment deployment =
        LocalDeployment.start(Map.of("publicBaseUrl", "http://127.0.0.1:9"), work)) {
      String function =
          deployment
              .outputs()
              .get(InfraApp.LOAN_PROCESSOR_STACK)
              .get("RequestValuationFunctionName");
      LocalLambda lambda = deployment.services().lambda();
      String alias = lambda.function(function).arn() + ":live";
      Path log = work.resolve("logs").resolve(function + ".log");

      List<double[]> cold = new ArrayList<>();
      List<Double> warm = new ArrayList<>();
      for (int round = 0; round <= rounds; round++) {
        lambda.recycleIdle(function);
        invoke(lambda, alias, round, "a");
        Matcher coldReport = lastReport(log);
        invoke(lambda, alias, round, "b");
        Matcher warmReport = lastReport(log);
        if (round == 0) {
          continue; // the mock valuer's own functions start cold in this round
        }
        assertThat(coldReport.group(4)).as("the first invocation starts an instance").isNotNull();
        assertThat(warmReport.group(4)).as("the second reuses it").isNull();
        cold.add(
            new double[] {
              Double.parseDouble(coldReport.group(4)),
              Double.parseDouble(coldReport.group(2)),
              Double.parseDouble(coldReport.group(3))
            });
        warm.add(Double.parseDouble(warmReport.group(2)));
      }
      System.out.printf(
          Locale.ROOT,
          "%nrequest-valuation function, %d cold starts (load average %.1f, %d cores)%n"
              + "  init (JVM start, handler constructed)  median %6.0f ms  min %6.0f  max %6.0f%n"
              + "  first invocation                       median %6.0f ms  min %6.0f  max %6.0f%n"
              + "  second invocation, warm                median %6.0f ms  min %6.0f  max %6.0f%n"
              + "  max memory used                        median %6.0f MB%n",
          rounds,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors(),
          median(cold, 0),
          min(cold, 0),
          max(cold, 0),
          median(cold, 1),
          min(cold, 1),
          max(cold, 1),
          median(warm.stream().map(w -> new double[] {w}).toList(), 0),
          min(warm.stream().map(w -> new double[] {w}).toList(), 0),
          max(warm.stream().map(w -> new double[] {w}).toList(), 0),
          median(cold, 2));
    }
  }

  private static void invoke(LocalLambda lambda, String alias, int round, String suffix)
      throws Exception {
    String requestId = UUID.randomUUID().toString();
    byte[] payload =
        JSON.writeValueAsBytes(
            Map.of(
                "taskToken",
                "cold-start-" + UUID.randomUUID(),
                "loanApplication",
                Map.of(
                    "applicationReference",
                    "cold-" + round + suffix + "-" + requestId.substring(0, 8),
                    "property",
                    Map.of("nameOrNumber", "999", "postcode", "PO1 1CE"),
                    "valuationTimeoutSeconds",
                    60)));
    InvokeResult result = lambda.invoke(alias, payload);
    assertThat(result.failed()).as(new String(result.payload(), StandardCharsets.UTF_8)).isFalse();
  }

  /** The REPORT line of the invocation that just ended: invocations here run one at a time. */
  private static Matcher lastReport(Path log) throws Exception {
    List<String> lines = Files.readAllLines(log);
    for (int i = lines.size() - 1; i >= 0; i--) {
      Matcher m = REPORT.matcher(lines.get(i));
      if (m.find()) {
        return m;
      }
    }
    throw new AssertionError("No REPORT line in " + log);
  }

  private static double median(List<double[]> values, int index) {
    List<Double> sorted =
        values.stream().map(v -> v[index]).sorted(Comparator.naturalOrder()).toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double min(List<double[]> values, int index) {
    return values.stream().mapToDouble(v -> v[index]).min().orElse(Double.NaN);
  }

  private static double max(List<double[]> values, int index) {
    return values.stream().mapToDouble(v -> v[index]).max().orElse(Double.NaN);
  }
}
