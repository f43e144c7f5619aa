package com.valuationflow.infra.local.stepfunctions;

import com.valuationflow.infra.local.AwsServiceError;
import java.util.List;

/**
 * Parses the ARNs the Step Functions API takes, with its {@code InvalidArn} answers: {@code
 * arn:aws:states:<region>:<account>:stateMachine:<name>} and {@code
 * arn:aws:states:<region>:<account>:execution:<stateMachineName>:<name>}.
 */
final class StatesArns {

  /** An ARN's parts after the prefix {@code arn:<partition>:states:}. */
  record Parsed(String partition, String region, String account, String type, List<String> names) {
    /** Whether it is in this service's partition, region and account. */
    boolean isIn(String expectedRegion, String expectedAccount) {
      return partition.equals("aws")
          && region.equals(expectedRegion)
          && account.equals(expectedAccount);
    }
  }

  private StatesArns() {}

  /** A state machine ARN; {@code names} holds its name (and a version or alias if qualified). */
  static Parsed stateMachine(String arn) {
    Parsed parsed = parse(arn, "stateMachine");
    if (parsed.names().isEmpty() || parsed.names().size() > 2) {
      throw invalid("Invalid ARN: " + arn);
    }
    return parsed;
  }

  /** An execution ARN; {@code names} holds the state machine's name and the execution's. */
  static Parsed execution(String arn) {
    Parsed parsed = parse(arn, "execution");
    if (parsed.names().size() != 2) {
      throw invalid("Invalid ARN: " + arn);
    }
    return parsed;
  }

  private static Parsed parse(String arn, String expectedType) {
    String[] parts = arn.split(":", -1);
    if (!arn.startsWith("arn:") || parts.length < 7 || !parts[2].equals("states")) {
      throw invalid("Invalid ARN prefix: " + arn);
    }
    if (!parts[5].equals(expectedType)) {
      throw invalid("Resource type not valid in this context: " + parts[5]);
    }
    List<String> names = List.of(parts).subList(6, parts.length);
    for (String name : names) {
      if (name.isEmpty()) {
        throw invalid("Invalid ARN: " + arn);
      }
    }
    return new Parsed(parts[1], parts[3], parts[4], parts[5], names);
  }

  private static AwsServiceError invalid(String reason) {
    return AwsServiceError.of("InvalidArn", "Invalid Arn: '" + reason + "'");
  }
}
