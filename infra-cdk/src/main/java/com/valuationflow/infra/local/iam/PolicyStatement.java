package com.valuationflow.infra.local.iam;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One statement of an IAM policy as the local deployment evaluates it: effect, actions and
 * resources with IAM's {@code *} and {@code ?} wildcards (actions compared ignoring case).
 * Conditions are not evaluated; a statement with one is not loaded.
 *
 * @param source where the statement comes from, for reports: the policy's logical id or name
 */
public record PolicyStatement(
    boolean allow, List<String> actions, List<String> resources, String source) {

  public PolicyStatement {
    actions = List.copyOf(actions);
    resources = List.copyOf(resources);
    Objects.requireNonNull(source, "'source' must not be null");
  }

  /** Whether this statement speaks of the action on the resource. */
  public boolean matches(String action, String resource) {
    return actions.stream()
            .anyMatch(
                pattern ->
                    wildcardMatches(
                        pattern.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT)))
        && resources.stream().anyMatch(pattern -> wildcardMatches(pattern, resource));
  }

  /** Whether an IAM pattern with {@code *} and {@code ?} matches the text. */
  static boolean wildcardMatches(String pattern, String text) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.matches(regex.toString(), text);
  }
}
