package com.valuationflow.aws;

import com.valuationflow.domain.port.AnsweredWebhooks;
import com.valuationflow.domain.port.WebhookAnswer;
import com.valuationflow.domain.port.WebhookClaim;
import com.valuationflow.domain.port.WebhookFingerprint;
import com.valuationflow.domain.port.WebhookReceipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link AnsweredWebhooks} in the task token table, shared by every instance: one item per {@code
 * webhook-id} under the key {@value #KEY_PREFIX}{@code <id>}, beside the parked tokens' items.
 * Every change is one conditional {@code UpdateItem} (the app's only grant on the table); a claim
 * that fails its condition reads the item as it was ({@code ALL_OLD}) and judges it by {@link
 * WebhookReceipt#refusal}. The time to live is the end of the retention; expired items are ignored,
 * since DynamoDB deletes them only within about two days. A retried write that went through the
 * first time is recognised by its claim id.
 */
public final class DynamoDbAnsweredWebhooks implements AnsweredWebhooks {

  static final String KEY_PREFIX = "webhook#";
  static final String FINGERPRINT = "webhookFingerprint";
  static final String CLAIM_ID = "webhookClaimId";
  static final String LEASE_UNTIL = "leaseUntilEpochMillis";
  static final String EXPIRES_AT = "expiresAtEpochMillis";
  static final String FORGET_AT = TaskTokenTable.TTL_ATTRIBUTE;
  static final String STATUS = "answerStatus";
  static final String CONTENT_TYPE = "answerContentType";
  static final String BODY = "answerBody";

  private static final String CLAIM_CONDITION =
      "attribute_not_exists(#key) OR #expiresAt <= :now"
          + " OR (#fingerprint = :fingerprint AND attribute_not_exists(#status)"
          + " AND #leaseUntil <= :now)";
  private static final String HELD_CONDITION =
      "#claimId = :claimId AND attribute_not_exists(#status)";

  private final DynamoDbClient dynamoDb;
  private final String tableName;
  private final Clock clock;
  private final Duration retention;
  private final Duration lease;

  public DynamoDbAnsweredWebhooks(
      DynamoDbClient dynamoDb, String tableName, Clock clock, Duration retention, Duration lease) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "'dynamoDb' must not be null");
    this.tableName = Objects.requireNonNull(tableName, "'tableName' must not be null");
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    this.retention = positive(retention, "retention");
    this.lease = positive(lease, "lease");
  }

  @Override
  public WebhookClaim claim(String webhookId, WebhookFingerprint fingerprint) {
    Objects.requireNonNull(webhookId, "'webhookId' must not be null");
    Objects.requireNonNull(fingerprint, "'fingerprint' must not be null");
    Instant now = clock.instant();
    String claimId = UUID.randomUUID().toString();
    WebhookClaim.Claimed claimed = new WebhookClaim.Claimed(webhookId, fingerprint, claimId);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":now", number(now.toEpochMilli()));
    values.put(":fingerprint", text(fingerprint.hex()));
    values.put(":claimId", text(claimId));
    values.put(":leaseUntil", number(now.plus(lease).toEpochMilli()));
    values.put(":expiresAt", number(now.plus(retention).toEpochMilli()));
    values.put(":forgetAt", number(forgetAtSeconds(now.plus(retention))));
    try {
      update(
          webhookId,
          "SET #fingerprint = :fingerprint, #claimId = :claimId, #leaseUntil = :leaseUntil,"
              + " #expiresAt = :expiresAt, #forgetAt = :forgetAt"
              + " REMOVE #status, #contentType, #body",
          CLAIM_CONDITION,
          values);
      return claimed;
    } catch (ConditionalCheckFailedException e) {
      Map<String, AttributeValue> old = e.item();
      if (old == null || old.isEmpty()) {
        return new WebhookClaim.InProgress(now.plus(lease));
      }
      if (claimId.equals(textOf(old, CLAIM_ID))) {
        return claimed;
      }
      return receiptOf(old).refusal(fingerprint, now).orElse(claimed);
    } catch (SdkException e) {
      throw AnsweredWebhooksUnavailableException.of("UpdateItem (claim)", tableName, webhookId, e);
    }
  }

  @Override
  public boolean answer(WebhookClaim.Claimed claim, WebhookAnswer answer) {
    Objects.requireNonNull(answer, "'answer' must not be null");
    Instant forgetAt = clock.instant().plus(retention);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":claimId", text(claim.claimId()));
    values.put(":status", number(answer.status()));
    values.put(":contentType", text(answer.contentType()));
    values.put(":body", text(answer.body()));
    values.put(":expiresAt", number(forgetAt.toEpochMilli()));
    values.put(":forgetAt", number(forgetAtSeconds(forgetAt)));
    try {
      update(
          claim.webhookId(),
          "SET #status = :status, #contentType = :contentType, #body = :body,"
              + " #expiresAt = :expiresAt, #forgetAt = :forgetAt",
          HELD_CONDITION,
          values);
      return true;
    } catch (ConditionalCheckFailedException e) {
      Map<String, AttributeValue> old = e.item();
      return old != null
          && claim.claimId().equals(textOf(old, CLAIM_ID))
          && old.containsKey(STATUS)
          && Integer.parseInt(old.get(STATUS).n()) == answer.status();
    } catch (SdkException e) {
      throw AnsweredWebhooksUnavailableException.of(
          "UpdateItem (answer)", tableName, claim.webhookId(), e);
    }
  }

  @Override
  public void release(WebhookClaim.Claimed claim) {
    try {
      update(
          claim.webhookId(),
          "SET #leaseUntil = :released",
          HELD_CONDITION,
          Map.of(":claimId", text(claim.claimId()), ":released", number(0)));
    } catch (ConditionalCheckFailedException e) {
      // lost to another delivery, or already answered: nothing to give up
    } catch (SdkException e) {
      throw AnsweredWebhooksUnavailableException.of(
          "UpdateItem (release)", tableName, claim.webhookId(), e);
    }
  }

  private void update(
      String webhookId, String expression, String condition, Map<String, AttributeValue> values) {
    dynamoDb.updateItem(
        r ->
            r.tableName(tableName)
                .key(Map.of(TaskTokenTable.PARTITION_KEY, text(KEY_PREFIX + webhookId)))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeNames(names(expression + " " + condition))
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
  }

  private static Map<String, String> names(String expressions) {
    Map<String, String> all =
        Map.of(
            "#key", TaskTokenTable.PARTITION_KEY,
            "#fingerprint", FINGERPRINT,
            "#claimId", CLAIM_ID,
            "#leaseUntil", LEASE_UNTIL,
            "#expiresAt", EXPIRES_AT,
            "#forgetAt", FORGET_AT,
            "#status", STATUS,
            "#contentType", CONTENT_TYPE,
            "#body", BODY);
    Map<String, String> used = new HashMap<>();
    all.forEach(
        (placeholder, name) -> {
          if (expressions.contains(placeholder)) {
            used.put(placeholder, name);
          }
        });
    return used;
  }

  private static WebhookReceipt receiptOf(Map<String, AttributeValue> item) {
    Optional<WebhookAnswer> answer =
        item.containsKey(STATUS)
            ? Optional.of(
                new WebhookAnswer(
                    Integer.parseInt(item.get(STATUS).n()),
                    textOf(item, CONTENT_TYPE),
                    textOf(item, BODY)))
            : Optional.empty();
    return new WebhookReceipt(
        new WebhookFingerprint(textOf(item, FINGERPRINT)),
        textOf(item, CLAIM_ID),
        Instant.ofEpochMilli(Long.parseLong(item.get(LEASE_UNTIL).n())),
        Instant.ofEpochMilli(Long.parseLong(item.get(EXPIRES_AT).n())),
        answer);
  }

  private static long forgetAtSeconds(Instant forgetAt) {
    return forgetAt.plusMillis(999).getEpochSecond();
  }

  private static String textOf(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  private static AttributeValue text(String value) {
    return AttributeValue.builder().s(value).build();
  }

  private static AttributeValue number(long value) {
    return AttributeValue.builder().n(Long.toString(value)).build();
  }

  private static Duration positive(Duration duration, String name) {
    Objects.requireNonNull(duration, "'" + name + "' must not be null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'" + name + "' must be positive");
    }
    return duration;
  }
}
