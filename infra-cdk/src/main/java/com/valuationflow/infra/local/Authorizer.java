package com.valuationflow.infra.local;

/**
 * Decides, as IAM would, whether a principal of the local deployment may perform an action on a
 * resource, and remembers every decision, so that a run shows which grants the stacks use.
 */
@FunctionalInterface
public interface Authorizer {

  /** The caller of a function URL whose auth type is {@code NONE}. */
  String ANONYMOUS = "*";

  /**
   * @param principal the caller: an IAM role or user ARN, or {@link #ANONYMOUS}
   * @param action such as {@code dynamodb:PutItem}
   * @param resource the ARN the action touches
   * @throws AwsServiceError {@code AccessDeniedException} when nothing grants it
   */
  void authorize(String principal, String action, String resource);

  /** Allows everything and remembers nothing. */
  static Authorizer allowAll() {
    return (principal, action, resource) -> {};
  }
}
