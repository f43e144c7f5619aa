package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.infra.local.iam.LocalIam;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * What one loan application's valuation makes AWS bill, counted in the local deployment: state
 * transitions of its execution, invocations of the request-valuation function and their GB-seconds,
 * and DynamoDB request units (every item the app and the function write is under 1 KB, every read a
 * strongly consistent one under 4 KB: one unit each). The mock valuer's requests are left out: a
 * real valuer is a third party. Prices are the public on-demand prices in us-east-1.
 */
record FlowCost(
    long stateTransitions,
    long lambdaRequests,
    long writeRequestUnits,
    long readRequestUnits,
    double lambdaGbSeconds) {

  static final long STATE_TRANSITIONS = 2;
  static final long LAMBDA_REQUESTS = 1;
  static final long WRITE_REQUEST_UNITS = 8;
  static final long READ_REQUEST_UNITS = 0;

  static final double PER_STATE_TRANSITION = 0.025 / 1_000;
  static final double PER_LAMBDA_REQUEST = 0.20 / 1_000_000;
  static final double PER_WRITE_REQUEST_UNIT = 0.625 / 1_000_000;
  static final double PER_READ_REQUEST_UNIT = 0.125 / 1_000_000;

  /** Arm64's price: the function runs on Graviton. */
  static final double PER_GB_SECOND = 0.0000133334;

  private static final Set<String> WRITES =
      Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
  private static final Set<String> READS = Set.of("dynamodb:GetItem");
  private static final Pattern REPORT =
      Pattern.compile("Billed Duration: (\\d+) ms\\tMemory Size: (\\d+) MB");

  /**
   * @param calls what each principal did during the flow, and nothing else
   * @param view the application as {@code GET /loan-applications/{ref}} shows it, with its history
   * @param reports the request-valuation function's {@code REPORT} lines of the flow
   */
  static FlowCost of(Map<LocalIam.Call, Long> calls, JsonNode view, List<String> reports) {
    long transitions =
        StreamSupport.stream(view.path("history").spliterator(), false)
            .filter(event -> event.path("type").asText().endsWith("StateEntered"))
            .count();
    double gbSeconds = 0;
    for (String report : reports) {
      Matcher m = REPORT.matcher(report);
      if (m.find()) {
        gbSeconds += Long.parseLong(m.group(1)) / 1000.0 * Long.parseLong(m.group(2)) / 1024.0;
      }
    }
    return new FlowCost(
        transitions,
        count(calls, Set.of("lambda:InvokeFunction"), "LoanProcessorRole"),
        count(calls, WRITES, ""),
        count(calls, READS, ""),
        gbSeconds);
  }

  private static long count(Map<LocalIam.Call, Long> calls, Set<String> actions, String principal) {
    return calls.entrySet().stream()
        .filter(e -> actions.contains(e.getKey().action()))
        .filter(e -> e.getKey().principal().contains(principal))
        .filter(e -> !e.getKey().principal().contains("MockValuer"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** The README's cost table rows for the counted requests, with their price per million flows. */
  static List<String> readmeRows() {
    return List.of(
        row(
            "Step Functions state transitions",
            STATE_TRANSITIONS,
            "$0.025 per 1,000",
            PER_STATE_TRANSITION),
        row("Lambda requests", LAMBDA_REQUESTS, "$0.20 per million", PER_LAMBDA_REQUEST),
        row(
            "DynamoDB write request units",
            WRITE_REQUEST_UNITS,
            "$0.625 per million",
            PER_WRITE_REQUEST_UNIT),
        row(
            "DynamoDB read request units",
            READ_REQUEST_UNITS,
            "$0.125 per million",
            PER_READ_REQUEST_UNIT));
  }

  private static String row(String what, long count, String price, double unitPrice) {
    return String.format(
        Locale.ROOT, "| %s | %d | %s | $%,.2f |", what, count, price, count * unitPrice * 1e6);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d state transitions, %d Lambda requests (%.3f GB-s), %d write and %d read request units",
        stateTransitions,
        lambdaRequests,
        lambdaGbSeconds,
        writeRequestUnits,
        readRequestUnits);
  }
}
