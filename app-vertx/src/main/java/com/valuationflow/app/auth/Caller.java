package com.valuationflow.app.auth;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller.
 *
 * @param name who it is, for logs: an API key's name, or a token's {@code sub} (else {@code
 *     client_id}, {@code azp})
 * @param permissions what it may do
 */
public record Caller(String name, Set<Permission> permissions) {

  public Caller {
    Objects.requireNonNull(name, "'name' must not be null");
    permissions = Set.copyOf(Objects.requireNonNull(permissions, "'permissions' must not be null"));
  }

  public boolean may(Permission permission) {
    return permissions.contains(permission);
  }
}
