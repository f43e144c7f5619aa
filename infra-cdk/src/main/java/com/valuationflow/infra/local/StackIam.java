package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.infra.local.iam.LocalIam;
import com.valuationflow.infra.local.template.Intrinsics;
import com.valuationflow.infra.local.template.StackResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * One stack's IAM in the local deployment: each role's inline, customer managed and AWS managed
 * policies, {@code AWS::IAM::Policy} attachments, the managed policy no role holds (the app's user
 * holds it), and the public grants of {@code AWS::Lambda::Permission}s.
 */
final class StackIam {

  private final LocalServices services;
  private final Map<String, JsonNode> resources;
  private final StackResources names;
  private final Intrinsics intrinsics;

  StackIam(
      LocalServices services,
      Map<String, JsonNode> resources,
      StackResources names,
      Intrinsics intrinsics) {
    this.services = services;
    this.resources = resources;
    this.names = names;
    this.intrinsics = intrinsics;
  }

  void role(String id, JsonNode properties) {
    String role = names.arn(id);
    LocalIam iam = services.iam();
    properties
        .path("Policies")
        .forEach(
            policy ->
                iam.attach(
                    role,
                    intrinsics.resolve(policy.path("PolicyDocument")),
                    id + "/" + policy.path("PolicyName").asText()));
    properties
        .path("ManagedPolicyArns")
        .forEach(
            arn -> {
              String policyArn = intrinsics.text(arn);
              String managedId = managedPolicyId(policyArn);
              if (managedId == null) {
                iam.attachAwsManaged(role, policyArn);
              } else {
                iam.attach(
                    role,
                    intrinsics.resolve(
                        resources.get(managedId).path("Properties").path("PolicyDocument")),
                    managedId);
              }
            });
  }

  void policy(String id, JsonNode properties) {
    JsonNode document = intrinsics.resolve(properties.path("PolicyDocument"));
    holders(properties).forEach(holder -> services.iam().attach(holder, document, id));
  }

  void managedPolicy(String id, JsonNode properties) {
    JsonNode document = intrinsics.resolve(properties.path("PolicyDocument"));
    List<String> holders = holders(properties);
    if (holders.isEmpty() && !heldByRole(names.arn(id))) {
      services.iam().attach(services.principals().appUser(), document, id);
    } else {
      holders.forEach(holder -> services.iam().attach(holder, document, id));
    }
  }

  /** The logical id of the stack's customer managed policy of this ARN; null for AWS's own. */
  private String managedPolicyId(String policyArn) {
    return resources.entrySet().stream()
        .filter(r -> "AWS::IAM::ManagedPolicy".equals(r.getValue().path("Type").asText()))
        .map(Map.Entry::getKey)
        .filter(id -> names.arn(id).equals(policyArn))
        .findFirst()
        .orElse(null);
  }

  /** Whether a role of the stack holds the managed policy. */
  private boolean heldByRole(String policyArn) {
    return resources.values().stream()
        .filter(r -> "AWS::IAM::Role".equals(r.path("Type").asText()))
        .flatMap(
            r ->
                StreamSupport.stream(
                    r.path("Properties").path("ManagedPolicyArns").spliterator(), false))
        .anyMatch(arn -> policyArn.equals(intrinsics.text(arn)));
  }

  private List<String> holders(JsonNode properties) {
    List<String> holders = new ArrayList<>();
    properties
        .path("Roles")
        .forEach(role -> holders.add(services.principals().role(intrinsics.text(role))));
    properties
        .path("Users")
        .forEach(
            user ->
                holders.add(
                    "arn:aws:iam::" + services.account() + ":user/" + intrinsics.text(user)));
    return holders;
  }

  void permission(String id, JsonNode properties) {
    String principal = intrinsics.text(properties.path("Principal"));
    if (!"*".equals(principal)) {
      return; // a service principal: the local services call as the roles they are given
    }
    services
        .iam()
        .grant(
            Authorizer.ANONYMOUS,
            intrinsics.text(properties.path("Action")),
            services.functionArn(intrinsics.text(properties.path("FunctionName"))),
            id);
  }
}
