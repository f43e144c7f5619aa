package com.valuationflow.infra.local.iam;

import java.util.Objects;

/**
 * One action a principal performed, or tried to, on one resource during a local run.
 *
 * @param grantedBy the statement that allowed it; empty when nothing did
 */
public record AccessRecord(String principal, String action, String resource, String grantedBy) {

  public AccessRecord {
    Objects.requireNonNull(principal, "'principal' must not be null");
    Objects.requireNonNull(action, "'action' must not be null");
    Objects.requireNonNull(resource, "'resource' must not be null");
    Objects.requireNonNull(grantedBy, "'grantedBy' must not be null");
  }

  public boolean allowed() {
    return !grantedBy.isEmpty();
  }
}
