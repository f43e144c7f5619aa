package com.valuationflow.infra.local;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells who calls from the SigV4 {@code Authorization} header: the access key in its {@code
 * Credential=<accessKeyId>/<date>/<region>/<service>/aws4_request}, mapped to the principal it
 * belongs to. Signatures are not verified: the local deployment trusts its loopback callers to be
 * who their keys say, and checks what they may do.
 */
final class Callers {

  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");

  private final Map<String, String> principals = new ConcurrentHashMap<>();

  void add(String accessKeyId, String principalArn) {
    if (accessKeyId == null || accessKeyId.isBlank()) {
      throw new IllegalArgumentException("'accessKeyId' must not be blank");
    }
    principals.put(
        accessKeyId, Objects.requireNonNull(principalArn, "'principalArn' must not be null"));
  }

  /**
   * The caller's principal ARN.
   *
   * @param errorStatus the HTTP status of the authentication errors, as the service answers them
   * @throws AwsServiceError {@code MissingAuthenticationTokenException} without the header, {@code
   *     IncompleteSignatureException} for one without a credential, {@code
   *     UnrecognizedClientException} for an unknown access key
   */
  String principal(String authorization, int errorStatus) {
    if (authorization == null || authorization.isBlank()) {
      throw new AwsServiceError(
          "MissingAuthenticationTokenException", "Missing Authentication Token", errorStatus);
    }
    Matcher credential = CREDENTIAL.matcher(authorization);
    if (!authorization.startsWith("AWS4-HMAC-SHA256 ") || !credential.find()) {
      throw new AwsServiceError(
          "IncompleteSignatureException",
          "Authorization header requires a 'Credential' parameter of an AWS4-HMAC-SHA256 signature",
          400);
    }
    String principal = principals.get(credential.group(1));
    if (principal == null) {
      throw new AwsServiceError(
          "UnrecognizedClientException",
          "The security token included in the request is invalid.",
          errorStatus);
    }
    return principal;
  }
}
