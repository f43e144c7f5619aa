package com.valuationflow.infra;

import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * Execution roles for the stacks' functions, allowed to write to their own log group and nothing
 * else until granted more: not {@code AWSLambdaBasicExecutionRole}, which CDK attaches by default
 * and which grants creating and writing any log group ({@code *}).
 */
final class FunctionRoles {

  private FunctionRoles() {}

  /** A role Lambda assumes for one function, which may write the function's log group. */
  static Role writingTo(Construct scope, String id, LogGroup logGroup) {
    Role role =
        Role.Builder.create(scope, id)
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .build();
    logGroup.grantWrite(role);
    return role;
  }
}
