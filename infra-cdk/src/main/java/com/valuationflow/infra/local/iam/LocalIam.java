package com.valuationflow.infra.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.infra.local.Authorizer;
import com.valuationflow.infra.local.AwsServiceError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * IAM for the local deployment: the policies the templates attach to each principal (roles, the
 * app's user, and {@code *} for resource policies such as a public function URL's), evaluated as
 * IAM evaluates them within one account (an explicit deny wins, then any allow, else denied), and
 * every decision remembered, so that a run shows what each principal did and which grants it never
 * used.
 */
public final class LocalIam implements Authorizer {

  /** The AWS managed policies the stacks use, as AWS defines them. */
  private static final Map<String, List<PolicyStatement>> AWS_MANAGED =
      Map.of(
          "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
          List.of(
              new PolicyStatement(
                  true,
                  List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
                  List.of("*"),
                  "AWSLambdaBasicExecutionRole")));

  private final Map<String, List<PolicyStatement>> policies = new ConcurrentHashMap<>();
  private final Set<AccessRecord> records = ConcurrentHashMap.newKeySet();
  private final Map<Call, LongAdder> calls = new ConcurrentHashMap<>();

  /** One principal's action, counted each time it is allowed: what a bill counts. */
  public record Call(String principal, String action) {}

  /** Attaches the statements of a policy document (already resolved) to a principal. */
  public void attach(String principal, JsonNode document, String source) {
    JsonNode statements = document.path("Statement");
    (statements.isArray() ? stream(statements) : Stream.of(statements))
        .filter(statement -> applies(statement, source))
        .map(statement -> statement(statement, source))
        .forEach(statement -> statements(principal).add(statement));
  }

  /** Attaches an AWS managed policy by its ARN. */
  public void attachAwsManaged(String principal, String policyArn) {
    List<PolicyStatement> managed = AWS_MANAGED.get(policyArn);
    if (managed == null) {
      throw new IllegalArgumentException(
          "The local deployment does not know the AWS managed policy " + policyArn);
    }
    statements(principal).addAll(managed);
  }

  /** Grants through a resource policy, such as an {@code AWS::Lambda::Permission}. */
  public void grant(String principal, String action, String resource, String source) {
    statements(principal)
        .add(new PolicyStatement(true, List.of(action), List.of(resource), source));
  }

  @Override
  public void authorize(String principal, String action, String resource) {
    List<PolicyStatement> attached = policies.getOrDefault(principal, List.of());
    boolean denied = attached.stream().anyMatch(s -> !s.allow() && s.matches(action, resource));
    String grantedBy =
        denied
            ? ""
            : attached.stream()
                .filter(s -> s.allow() && s.matches(action, resource))
                .map(PolicyStatement::source)
                .findFirst()
                .orElse("");
    AccessRecord record = new AccessRecord(principal, action, resource, grantedBy);
    records.add(record);
    if (!record.allowed()) {
      throw AwsServiceError.accessDenied(principal, action, resource);
    }
    calls.computeIfAbsent(new Call(principal, action), c -> new LongAdder()).increment();
  }

  /** How often each principal was allowed each action so far. */
  public Map<Call, Long> calls() {
    Map<Call, Long> counts = new HashMap<>();
    calls.forEach((call, count) -> counts.put(call, count.sum()));
    return counts;
  }

  /** Everything the principals did or tried, in no particular order. */
  public List<AccessRecord> records() {
    return List.copyOf(records);
  }

  /**
   * The grants no recorded access used: per principal, each allowed action pattern and resource
   * pattern of its statements that no access matched, as {@code "action on resource (source)"}.
   */
  public Map<String, List<String>> unusedGrants() {
    Map<String, List<String>> unused = new LinkedHashMap<>();
    policies.forEach(
        (principal, statements) -> {
          Set<String> lines = new LinkedHashSet<>();
          for (PolicyStatement statement : statements) {
            if (!statement.allow()) {
              continue;
            }
            for (String action : statement.actions()) {
              for (String resource : statement.resources()) {
                PolicyStatement one =
                    new PolicyStatement(
                        true, List.of(action), List.of(resource), statement.source());
                boolean used =
                    records.stream()
                        .anyMatch(
                            r ->
                                r.allowed()
                                    && r.principal().equals(principal)
                                    && one.matches(r.action(), r.resource()));
                if (!used) {
                  lines.add(action + " on " + resource + " (" + statement.source() + ")");
                }
              }
            }
          }
          if (!lines.isEmpty()) {
            unused.put(principal, new ArrayList<>(lines));
          }
        });
    return unused;
  }

  /** A readable report: who did what, what was denied, and what was granted but never used. */
  public String report() {
    StringBuilder report = new StringBuilder("Accesses during the local run\n");
    records.stream()
        .sorted(
            java.util.Comparator.comparing(AccessRecord::principal)
                .thenComparing(AccessRecord::action)
                .thenComparing(AccessRecord::resource))
        .forEach(
            r ->
                report
                    .append(r.allowed() ? "  allowed " : "  DENIED  ")
                    .append(r.principal())
                    .append(' ')
                    .append(r.action())
                    .append(" on ")
                    .append(r.resource())
                    .append(r.allowed() ? " by " + r.grantedBy() : "")
                    .append('\n'));
    report.append("Granted but never used\n");
    unusedGrants()
        .forEach(
            (principal, lines) ->
                lines.forEach(
                    line ->
                        report
                            .append("  ")
                            .append(principal)
                            .append(' ')
                            .append(line)
                            .append('\n')));
    return report.toString();
  }

  private List<PolicyStatement> statements(String principal) {
    return policies.computeIfAbsent(
        principal, p -> new java.util.concurrent.CopyOnWriteArrayList<>());
  }

  /**
   * Whether a statement is evaluated: conditions are not, so a conditional allow is left out (as if
   * its condition were false) and a conditional deny applies (as if it were true) — never more
   * permissive than IAM. {@code NotAction} and {@code NotResource} are refused.
   */
  private static boolean applies(JsonNode statement, String source) {
    if (statement.has("NotAction") || statement.has("NotResource") || !statement.has("Resource")) {
      throw new IllegalArgumentException(
          "The local deployment evaluates Action and Resource only, not "
              + statement
              + " of "
              + source);
    }
    return !statement.has("Condition") || "Deny".equals(statement.path("Effect").asText());
  }

  private static PolicyStatement statement(JsonNode statement, String source) {
    return new PolicyStatement(
        !"Deny".equals(statement.path("Effect").asText()),
        texts(statement.path("Action")),
        texts(statement.path("Resource")),
        source);
  }

  private static List<String> texts(JsonNode node) {
    return node.isArray() ? stream(node).map(JsonNode::asText).toList() : List.of(node.asText());
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items.stream();
  }
}
