package com.valuationflow.domain.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The opaque token a workflow hands to a waiting task; whoever holds it can resume the task.
 *
 * <p>Treat it as a secret: {@link #toString()} shows only a short fingerprint, never the token. Up
 * to 2,048 characters, the Step Functions limit.
 */
public record TaskToken(String value) {

  public static final int MAX_LENGTH = 2048;

  public TaskToken {
    Validation.requireText(value, "taskToken", MAX_LENGTH);
  }

  public static TaskToken of(String value) {
    return new TaskToken(value);
  }

  /** A short, stable, non-reversible fingerprint for logs and diagnostics. */
  public String fingerprint() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "TaskToken[sha256:" + fingerprint() + "]";
  }
}
