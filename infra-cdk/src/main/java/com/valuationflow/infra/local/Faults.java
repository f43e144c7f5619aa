package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * Faults the local deployment injects on request, to show how the stacks ride out a service that is
 * unavailable for a while. While a fault is on, the {@link LocalAwsGateway} answers the requests it
 * covers as the real service does in that state, after authenticating and authorizing them as
 * always; the service behind never sees them. Thread-safe.
 *
 * <pre>{@code
 * String role = deployment.functionRole(functionName);
 * deployment.faults().throttleDynamoDb(role, Duration.ofSeconds(4));
 * }</pre>
 */
public final class Faults {

  private static final String THROTTLED_TYPE =
      "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException";
  private static final String THROTTLED_MESSAGE =
      "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically"
          + " scaling your table or index so please try again shortly. If exceptions persist,"
          + " check if you have a hot key:"
          + " https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html";
  private static final Set<String> READS =
      Set.of(
          "dynamodb:GetItem",
          "dynamodb:BatchGetItem",
          "dynamodb:Query",
          "dynamodb:Scan",
          "dynamodb:ConditionCheckItem");

  private final Map<String, Long> dynamoDbThrottledUntilNanos = new ConcurrentHashMap<>();
  private final AtomicInteger throttledRequests = new AtomicInteger();

  /**
   * For the duration from now, DynamoDB answers every request of the principal as an on-demand
   * table whose partition is over its throughput does: HTTP 400, {@code
   * ProvisionedThroughputExceededException} with the throttling reason and the table, which the AWS
   * SDKs take as throttling and retry with backoff. Replaces an earlier throttle of the principal.
   *
   * @param principalArn the caller, a role or user ARN, such as {@link
   *     LocalDeployment#functionRole}
   */
  public void throttleDynamoDb(String principalArn, Duration duration) {
    Objects.requireNonNull(principalArn, "'principalArn' must not be null");
    Objects.requireNonNull(duration, "'duration' must not be null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'duration' must be positive, was " + duration);
    }
    dynamoDbThrottledUntilNanos.put(principalArn, System.nanoTime() + duration.toNanos());
  }

  /** Ends every fault now. */
  public void clear() {
    dynamoDbThrottledUntilNanos.clear();
  }

  /** How many requests a throttle has answered so far. */
  public int throttledRequests() {
    return throttledRequests.get();
  }

  /**
   * The answer to a DynamoDB request of this principal, if a fault covers it now.
   *
   * @param grants what the request does, from {@link DynamoDbGrants#of}
   */
  Optional<GatewayResponse> dynamoDb(String principalArn, List<DynamoDbGrants.Grant> grants) {
    Long until = dynamoDbThrottledUntilNanos.get(principalArn);
    if (until == null) {
      return Optional.empty();
    }
    if (System.nanoTime() - until >= 0) {
      dynamoDbThrottledUntilNanos.remove(principalArn, until);
      return Optional.empty();
    }
    throttledRequests.incrementAndGet();
    return Optional.of(throttled(grants.get(0)));
  }

  /** DynamoDB's throttling answer, with the headers it sends with every answer. */
  private static GatewayResponse throttled(DynamoDbGrants.Grant grant) {
    ObjectNode body = AwsJson.object();
    body.put("__type", THROTTLED_TYPE);
    body.put("message", THROTTLED_MESSAGE);
    body.putArray("ThrottlingReasons")
        .addObject()
        .put(
            "reason",
            (READS.contains(grant.action()) ? "TableRead" : "TableWrite")
                + "KeyRangeThroughputExceeded")
        .put("resource", grant.resource());
    byte[] bytes = AwsJson.write(body).getBytes(StandardCharsets.UTF_8);
    CRC32 crc32 = new CRC32();
    crc32.update(bytes);
    return new GatewayResponse(
        400,
        Map.of(
            "Content-Type", List.of("application/x-amz-json-1.0"),
            "x-amzn-RequestId", List.of(UUID.randomUUID().toString()),
            "x-amz-crc32", List.of(Long.toString(crc32.getValue()))),
        bytes);
  }
}
