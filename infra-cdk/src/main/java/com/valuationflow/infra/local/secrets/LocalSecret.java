package com.valuationflow.infra.local.secrets;

import java.time.Instant;
import java.util.Objects;

/** A secret with its one version, {@code AWSCURRENT}. */
record LocalSecret(String name, String arn, String versionId, String value, Instant createdDate) {

  LocalSecret {
    Objects.requireNonNull(name, "'name' must not be null");
    Objects.requireNonNull(arn, "'arn' must not be null");
    Objects.requireNonNull(versionId, "'versionId' must not be null");
    Objects.requireNonNull(value, "'value' must not be null");
    Objects.requireNonNull(createdDate, "'createdDate' must not be null");
  }

  /** The ARN without the six random characters Secrets Manager appends to the name. */
  String partialArn() {
    return arn.substring(0, arn.length() - 7);
  }

  @Override
  public String toString() {
    return "LocalSecret[" + arn + "]";
  }
}
