package com.valuationflow.infra.local;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Allows each principal the actions whose names start with one of its prefixes, and records every
 * decision as {@code "<principal> <action> <resource>"}.
 */
final class RecordingAuthorizer implements Authorizer {

  private final Map<String, List<String>> allowedActionPrefixes;
  private final List<String> decisions = new CopyOnWriteArrayList<>();

  RecordingAuthorizer(Map<String, List<String>> allowedActionPrefixes) {
    this.allowedActionPrefixes = Map.copyOf(allowedActionPrefixes);
  }

  @Override
  public void authorize(String principal, String action, String resource) {
    boolean allowed =
        allowedActionPrefixes.getOrDefault(principal, List.of()).stream()
            .anyMatch(action::startsWith);
    decisions.add(principal + " " + action + " " + resource + (allowed ? "" : " DENIED"));
    if (!allowed) {
      throw AwsServiceError.accessDenied(principal, action, resource);
    }
  }

  List<String> decisions() {
    return List.copyOf(decisions);
  }

  void clear() {
    decisions.clear();
  }
}
