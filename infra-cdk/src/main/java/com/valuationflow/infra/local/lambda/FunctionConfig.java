package com.valuationflow.infra.local.lambda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Lambda function of the local deployment, as its template declares it.
 *
 * @param name the function name
 * @param arn the unqualified function ARN, {@code
 *     arn:aws:lambda:<region>:<account>:function:<name>}
 * @param runtime the template's runtime identifier: {@code java<N>} or {@code nodejs<N>.x}
 * @param handler the template's handler, such as {@code com.example.Handler::handleRequest} or
 *     {@code index.handler}
 * @param codeDirectory the unzipped deployment package, the function's {@code /var/task}
 * @param environment the variables the function sees besides those Lambda sets itself: the
 *     template's variables and what the deployment adds (region, credentials, endpoints)
 * @param timeout the function's timeout, 1 to 900 seconds
 * @param memoryMb the function's memory, 128 to 10,240 MB; Java functions get 85% as heap
 */
public record FunctionConfig(
    String name,
    String arn,
    String runtime,
    String handler,
    Path codeDirectory,
    Map<String, String> environment,
    Duration timeout,
    int memoryMb) {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern ARN =
      Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:([a-zA-Z0-9_-]{1,64})");
  private static final Pattern RUNTIME = Pattern.compile("java\\d+(\\.al2)?|nodejs\\d+\\.x");
  private static final Pattern VARIABLE = Pattern.compile("[a-zA-Z]\\w*");
  private static final Duration MAX_TIMEOUT = Duration.ofSeconds(900);

  public FunctionConfig {
    Objects.requireNonNull(name, "'name' must not be null");
    Objects.requireNonNull(arn, "'arn' must not be null");
    Objects.requireNonNull(runtime, "'runtime' must not be null");
    Objects.requireNonNull(handler, "'handler' must not be null");
    Objects.requireNonNull(codeDirectory, "'codeDirectory' must not be null");
    Objects.requireNonNull(environment, "'environment' must not be null");
    Objects.requireNonNull(timeout, "'timeout' must not be null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'name' is not a function name: " + name);
    }
    var arnMatch = ARN.matcher(arn);
    if (!arnMatch.matches() || !arnMatch.group(1).equals(name)) {
      throw new IllegalArgumentException("'arn' is not the ARN of function " + name + ": " + arn);
    }
    if (!RUNTIME.matcher(runtime).matches()) {
      throw new IllegalArgumentException("'runtime' is not a Java or Node.js runtime: " + runtime);
    }
    if (handler.isBlank() || handler.length() > 128) {
      throw new IllegalArgumentException("'handler' must have 1 to 128 characters");
    }
    if (!Files.isDirectory(codeDirectory)) {
      throw new IllegalArgumentException("'codeDirectory' is not a directory: " + codeDirectory);
    }
    codeDirectory = codeDirectory.toAbsolutePath().normalize();
    environment.forEach(
        (key, value) -> {
          if (!VARIABLE.matcher(key).matches() || value == null) {
            throw new IllegalArgumentException("'environment' has an invalid variable: " + key);
          }
        });
    environment = Map.copyOf(environment);
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("'timeout' must be 1 to 900 seconds: " + timeout);
    }
    if (memoryMb < 128 || memoryMb > 10_240) {
      throw new IllegalArgumentException("'memoryMb' must be 128 to 10240: " + memoryMb);
    }
  }

  /** Whether the function runs on a Java runtime; otherwise it runs on Node.js. */
  public boolean isJava() {
    return runtime.startsWith("java");
  }

  /** The region of the function's ARN. */
  public String region() {
    return arn.split(":")[3];
  }
}
