package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A local AWS service that speaks one of the AWS JSON protocols: requests are {@code POST /} with
 * an {@code X-Amz-Target: <prefix>.<Operation>} header and a JSON body, answers are JSON, errors
 * {@code {"__type": code, "message": ...}}.
 */
public interface AwsJsonService {

  /** The {@code X-Amz-Target} prefix, such as {@code AWSStepFunctions}. */
  String targetPrefix();

  /** The IAM service prefix of its actions, such as {@code states}. */
  String iamPrefix();

  /** The {@code Content-Type} of its answers, such as {@code application/x-amz-json-1.0}. */
  String contentType();

  /**
   * The ARN of the resource an operation touches, which IAM checks the caller's grants against.
   *
   * @throws AwsServiceError when the request names no resource this service knows
   */
  String resourceOf(String operation, JsonNode request);

  /**
   * Performs an operation.
   *
   * @throws AwsServiceError as the real service would answer
   */
  JsonNode call(String operation, JsonNode request);
}
