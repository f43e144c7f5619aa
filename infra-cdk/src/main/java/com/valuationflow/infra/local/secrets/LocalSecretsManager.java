package com.valuationflow.infra.local.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.infra.local.AwsJson;
import com.valuationflow.infra.local.AwsJsonService;
import com.valuationflow.infra.local.AwsServiceError;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * AWS Secrets Manager, locally: {@code GetSecretValue} and {@code DescribeSecret} over AWS JSON 1.1
 * ({@code X-Amz-Target: secretsmanager.<Operation>}) for secrets the launcher creates. A secret is
 * found by name, by ARN, or by its ARN without the random suffix, as the service finds it. Each has
 * one version, labelled {@code AWSCURRENT}. Thread-safe.
 */
public final class LocalSecretsManager implements AwsJsonService {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
  private static final String SUFFIX_CHARACTERS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String CURRENT = "AWSCURRENT";

  private final String region;
  private final String accountId;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, LocalSecret> byName = new ConcurrentHashMap<>();

  public LocalSecretsManager(String region, String accountId) {
    this(region, accountId, Clock.systemUTC());
  }

  public LocalSecretsManager(String region, String accountId, Clock clock) {
    this.region = Objects.requireNonNull(region, "'region' must not be null");
    this.accountId = Objects.requireNonNull(accountId, "'accountId' must not be null");
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
  }

  /**
   * A value as CloudFormation generates one for {@code GenerateSecretString}: {@code
   * PasswordLength} (default 32), {@code ExcludeCharacters}, {@code ExcludePunctuation}, {@code
   * ExcludeUppercase}, {@code ExcludeLowercase}, {@code ExcludeNumbers}, {@code IncludeSpace},
   * {@code RequireEachIncludedType} (default true), and {@code SecretStringTemplate} with {@code
   * GenerateStringKey}. Random characters come from {@link SecureRandom}.
   *
   * @throws IllegalArgumentException if the properties are invalid or contradict each other
   */
  public static String generateSecretString(JsonNode generateSecretString) {
    return new SecretStringGenerator(new SecureRandom()).generate(generateSecretString);
  }

  /**
   * Creates a secret.
   *
   * @param name 1 to 512 of {@code A-Za-z0-9/_+=.@-}
   * @return its ARN, {@code arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random>}
   * @throws IllegalArgumentException for an invalid name, or one in use
   */
  public String createSecret(String name, String secretString) {
    Objects.requireNonNull(secretString, "'secretString' must not be null");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Invalid secret name: '" + name + "'");
    }
    StringBuilder suffix = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      suffix.append(SUFFIX_CHARACTERS.charAt(random.nextInt(SUFFIX_CHARACTERS.length())));
    }
    LocalSecret secret =
        new LocalSecret(
            name,
            arnPrefix() + name + "-" + suffix,
            UUID.randomUUID().toString(),
            secretString,
            clock.instant());
    if (byName.putIfAbsent(name, secret) != null) {
      throw new IllegalArgumentException("A secret named '" + name + "' exists already");
    }
    return secret.arn();
  }

  @Override
  public String targetPrefix() {
    return "secretsmanager";
  }

  @Override
  public String iamPrefix() {
    return "secretsmanager";
  }

  @Override
  public String contentType() {
    return "application/x-amz-json-1.1";
  }

  /**
   * The secret's ARN; for a secret that does not exist, the {@code SecretId} if it is an ARN, else
   * the ARN the name would have without its suffix.
   */
  @Override
  public String resourceOf(String operation, JsonNode request) {
    if (!operation.equals("GetSecretValue") && !operation.equals("DescribeSecret")) {
      throw unknownOperation(operation);
    }
    String secretId = AwsJson.requiredString(request, "SecretId");
    return find(secretId)
        .map(LocalSecret::arn)
        .orElse(secretId.startsWith("arn:") ? secretId : arnPrefix() + secretId);
  }

  @Override
  public JsonNode call(String operation, JsonNode request) {
    return switch (operation) {
      case "GetSecretValue" -> getSecretValue(request);
      case "DescribeSecret" -> describeSecret(request);
      default -> throw unknownOperation(operation);
    };
  }

  private JsonNode getSecretValue(JsonNode request) {
    LocalSecret secret = require(request);
    AwsJson.optionalString(request, "VersionId")
        .filter(versionId -> !versionId.equals(secret.versionId()))
        .ifPresent(
            versionId -> {
              throw notFound(
                  "Secrets Manager can't find the specified secret value for VersionId: "
                      + versionId);
            });
    AwsJson.optionalString(request, "VersionStage")
        .filter(stage -> !stage.equals(CURRENT))
        .ifPresent(
            stage -> {
              throw notFound(
                  "Secrets Manager can't find the specified secret value for staging label: "
                      + stage);
            });
    ObjectNode response = AwsJson.object();
    response.put("ARN", secret.arn());
    response.put("Name", secret.name());
    response.put("VersionId", secret.versionId());
    response.put("SecretString", secret.value());
    response.putArray("VersionStages").add(CURRENT);
    response.put("CreatedDate", AwsJson.epochSeconds(secret.createdDate()));
    return response;
  }

  private JsonNode describeSecret(JsonNode request) {
    LocalSecret secret = require(request);
    ObjectNode response = AwsJson.object();
    response.put("ARN", secret.arn());
    response.put("Name", secret.name());
    response.put("CreatedDate", AwsJson.epochSeconds(secret.createdDate()));
    response.put("LastChangedDate", AwsJson.epochSeconds(secret.createdDate()));
    response.putObject("VersionIdsToStages").putArray(secret.versionId()).add(CURRENT);
    return response;
  }

  private LocalSecret require(JsonNode request) {
    return find(AwsJson.requiredString(request, "SecretId"))
        .orElseThrow(() -> notFound("Secrets Manager can't find the specified secret."));
  }

  private Optional<LocalSecret> find(String secretId) {
    if (!secretId.startsWith("arn:")) {
      return Optional.ofNullable(byName.get(secretId));
    }
    return byName.values().stream()
        .filter(secret -> secret.arn().equals(secretId) || secret.partialArn().equals(secretId))
        .findFirst();
  }

  private String arnPrefix() {
    return "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:";
  }

  private static AwsServiceError notFound(String message) {
    return AwsServiceError.of("ResourceNotFoundException", message);
  }

  private static AwsServiceError unknownOperation(String operation) {
    return AwsServiceError.of(
        "UnknownOperationException", "Secrets Manager has no operation '" + operation + "' here");
  }
}
