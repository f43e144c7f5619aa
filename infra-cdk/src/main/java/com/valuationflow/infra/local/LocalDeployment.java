package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.infra.InfraApp;
import com.valuationflow.infra.LoanProcessorStack;
import com.valuationflow.infra.local.iam.LocalIam;
import com.valuationflow.infra.local.template.CloudAssembly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The project's stacks deployed on this machine: synthesized with the context {@code cdk deploy}
 * would be given, and every resource of the templates run by a local service — Step Functions on
 * the in-memory engine, Lambda functions as processes under Amazon's runtime interface clients,
 * function URLs, DynamoDB Local, Secrets Manager — behind one endpoint that authenticates each
 * principal and checks its grants as IAM would. No AWS account, no Docker, no network.
 */
public final class LocalDeployment implements AutoCloseable {

  /** The region the local deployment pretends to be in. */
  public static final String REGION = "eu-west-2";

  /** The account the local deployment pretends to be. */
  public static final String ACCOUNT = "000000000000";

  /**
   * The context key of the latency the endpoint adds to AWS calls, as {@link InjectedLatency#parse}
   * reads it: {@code -c awsLatencyMs=states:SendTaskSuccess=300,dynamodb:*=5}.
   */
  public static final String LATENCY_CONTEXT = "awsLatencyMs";

  private final LocalServices services;
  private final Map<String, Map<String, String>> outputs;
  private final Map<String, String> context;
  private final Duration startUp;
  private final String appApiKey = newApiKey();

  private LocalDeployment(
      LocalServices services,
      Map<String, Map<String, String>> outputs,
      Map<String, String> context,
      Duration startUp) {
    this.services = services;
    this.outputs = outputs;
    this.context = context;
    this.startUp = startUp;
  }

  /**
   * Synthesizes the stacks with this context and deploys them locally.
   *
   * @param context the CDK context, as {@code cdk deploy -c key=value} takes it
   * @param workDirectory where the cloud assembly, the functions' code and their logs go
   */
  public static LocalDeployment start(Map<String, String> context, Path workDirectory) {
    // The JDK's HTTP server reads this once, when it first starts: without it every answer of the
    // local services waits for the client's delayed ACK, about 40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    long started = System.nanoTime();
    CloudAssembly assembly = Synthesizer.synthesize(context, workDirectory.resolve("cdk.out"));
    LocalServices services =
        new LocalServices(
            REGION, ACCOUNT, workDirectory, InjectedLatency.parse(context.get(LATENCY_CONTEXT)));
    try {
      Map<String, String> exports = new HashMap<>();
      Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
      for (CloudAssembly.StackTemplate stack : assembly.stacks()) {
        outputs.put(
            stack.name(),
            Collections.unmodifiableMap(new StackDeployer(services, stack, exports).deploy()));
      }
      return new LocalDeployment(
          services,
          Collections.unmodifiableMap(outputs),
          Map.copyOf(context),
          Duration.ofNanos(System.nanoTime() - started));
    } catch (RuntimeException e) {
      services.close();
      throw e;
    }
  }

  /** Each stack's outputs, as {@code cdk deploy --outputs-file} writes them. */
  public Map<String, Map<String, String>> outputs() {
    return outputs;
  }

  /** The endpoint of every local AWS service. */
  public URI endpoint() {
    return services.endpoint();
  }

  /** How long synthesizing and deploying took. */
  public Duration startUp() {
    return startUp;
  }

  /** The local services themselves, for tests that look behind the endpoint. */
  LocalServices services() {
    return services;
  }

  /**
   * The faults to inject into the local services, such as DynamoDB throttling one principal's
   * requests for a while; none until asked.
   */
  public Faults faults() {
    return services.faults();
  }

  /**
   * The execution role a deployed function runs as, the principal of its AWS calls.
   *
   * @param functionNameOrArn such as the stack output {@code RequestValuationFunctionName}
   * @throws IllegalArgumentException if no function of that name or ARN is deployed
   */
  public String functionRole(String functionNameOrArn) {
    return services.functionRole(functionNameOrArn);
  }

  /** The latency the endpoint adds to AWS calls; its rules may change while the services run. */
  public InjectedLatency latency() {
    return services.latency();
  }

  /** What each principal did, and what the templates grant it. */
  public LocalIam iam() {
    return services.iam();
  }

  /**
   * The app's settings for {@code MODE=aws} against this deployment, under the app's policy: with
   * {@code PORT}, all the app needs.
   */
  public Map<String, String> appSettings() {
    Map<String, String> loanProcessor = outputs.get(InfraApp.LOAN_PROCESSOR_STACK);
    Map<String, String> mockValuer = outputs.get(InfraApp.MOCK_VALUER_STACK);
    Principals.Credentials credentials =
        services.principals().credentials(services.principals().appUser());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("MODE", "aws");
    settings.put("AWS_REGION", loanProcessor.get("Region"));
    settings.put("AWS_ENDPOINT_URL_SFN", endpoint().toString());
    settings.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint().toString());
    settings.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
    settings.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
    settings.put("TASK_TOKEN_TABLE", loanProcessor.get("TaskTokenTable"));
    settings.put("STATE_MACHINE_ARN", loanProcessor.get("StateMachineArn"));
    settings.put(
        "WEBHOOK_SECRET",
        "whsec_"
            + services
                .secretsManager()
                .call(
                    "GetSecretValue",
                    new ObjectMapper()
                        .createObjectNode()
                        .put("SecretId", mockValuer.get("WebhookSecretArn")))
                .path("SecretString")
                .asText());
    settings.put("API_KEYS", "local:read+submit:" + sha256Hex(appApiKey));
    settings.put(
        "PUBLIC_BASE_URL",
        context.getOrDefault("publicBaseUrl", LoanProcessorStack.Settings.DEFAULT_PUBLIC_BASE_URL));
    if (context.containsKey("valuationTimeoutSeconds")) {
      settings.put("VALUATION_TIMEOUT_SECONDS", context.get("valuationTimeoutSeconds"));
    }
    return settings;
  }

  /**
   * The API key callers of the app's loan API and view send ({@code Authorization: Bearer <key>}):
   * 32 random bytes, hex, new for each deployment. {@link #appSettings()} holds only its SHA-256,
   * as {@code API_KEYS}, under the name {@code local}.
   */
  public String appApiKey() {
    return appApiKey;
  }

  /**
   * Writes {@link #appApiKey()} to a file only its owner may read, where the file system allows.
   */
  public void writeAppApiKey(Path file) {
    try {
      Path absolute = file.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      Files.deleteIfExists(absolute);
      Files.createFile(absolute);
      try {
        Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // kept as the file system makes it
      }
      Files.writeString(absolute, appApiKey);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
  }

  private static String newApiKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Writes {@link #appSettings()} as {@code KEY=value} lines, replacing the file at once. */
  public void writeAppSettings(Path file) {
    StringBuilder lines = new StringBuilder();
    appSettings().forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
    try {
      Path absolute = file.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      Path temporary = Files.createTempFile(absolute.getParent(), ".local-aws", ".env");
      Files.writeString(temporary, lines);
      Files.move(
          temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
  }

  /** Stops every local service and function. */
  @Override
  public void close() {
    services.close();
  }
}
