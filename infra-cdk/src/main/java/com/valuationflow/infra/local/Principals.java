package com.valuationflow.infra.local;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The local deployment's principals and their dummy credentials: every role, and the app's user,
 * gets an access key of its own, so that the local services know who calls and IAM can be checked
 * per principal. The keys open nothing but the local deployment.
 */
public final class Principals {

  /** The IAM user the app runs as: it holds the managed policies no role of the stacks holds. */
  public static final String APP_USER = "valuationflow-app";

  private final String account;
  private final BiConsumer<String, String> onNewKey;
  private final Map<String, String> principalsByKey = new ConcurrentHashMap<>();

  /**
   * @param onNewKey told each new access key and its principal, such as the local services'
   *     authentication
   */
  public Principals(String account, BiConsumer<String, String> onNewKey) {
    this.account = account;
    this.onNewKey = onNewKey;
  }

  /** The dummy credentials of one principal. */
  public record Credentials(String accessKeyId, String secretAccessKey) {}

  /** The app's user ARN. */
  public String appUser() {
    return "arn:aws:iam::" + account + ":user/" + APP_USER;
  }

  /** The ARN of the role of this name. */
  public String role(String name) {
    return "arn:aws:iam::" + account + ":role/" + name;
  }

  /** The principal's credentials, made for it on first use and the same afterwards. */
  public Credentials credentials(String principalArn) {
    String digest = digest(principalArn);
    String prefix = principalArn.contains(":user/") ? "AKIA" : "ASIA";
    String accessKeyId = (prefix + digest.substring(0, 16)).toUpperCase(Locale.ROOT);
    if (principalsByKey.putIfAbsent(accessKeyId, principalArn) == null) {
      onNewKey.accept(accessKeyId, principalArn);
    }
    return new Credentials(accessKeyId, "local-" + digest.substring(16));
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
