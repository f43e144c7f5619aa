package com.valuationflow.infra.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.infra.local.AwsJson;
import com.valuationflow.infra.local.AwsServiceError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code maxResults} and {@code nextToken} of the list operations. A token names the position to go
 * on from in a list that only grows, so pages neither skip nor repeat items added meanwhile.
 */
final class Pages {

  static final int DEFAULT_PAGE_SIZE = 100;
  private static final int MAX_PAGE_SIZE = 1000;
  private static final int MAX_TOKEN_LENGTH = 3096;

  private Pages() {}

  /** {@code maxResults}: 0 to 1000, where 0 or absent means 100. */
  static int pageSize(JsonNode request) {
    int maxResults = AwsJson.optionalInt(request, "maxResults", 0);
    if (maxResults < 0) {
      throw AwsJson.validation(
          "maxResults", maxResults, "Member must have value greater than or equal to 0");
    }
    if (maxResults > MAX_PAGE_SIZE) {
      throw AwsJson.validation(
          "maxResults", maxResults, "Member must have value less than or equal to 1000");
    }
    return maxResults == 0 ? DEFAULT_PAGE_SIZE : maxResults;
  }

  /**
   * The position a {@code nextToken} of this kind names, if the request has one.
   *
   * @throws AwsServiceError {@code InvalidToken} for a token this service did not issue for the
   *     list
   */
  static Optional<Long> position(JsonNode request, String kind) {
    Optional<String> token = AwsJson.optionalString(request, "nextToken");
    if (token.isEmpty()) {
      return Optional.empty();
    }
    String text = token.get();
    if (text.isEmpty() || text.length() > MAX_TOKEN_LENGTH) {
      throw AwsJson.validation(
          "nextToken",
          "<" + text.length() + " characters>",
          "Member must have length between 1 and " + MAX_TOKEN_LENGTH);
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      String prefix = "v1|" + kind + "|";
      if (decoded.startsWith(prefix)) {
        return Optional.of(Long.parseLong(decoded.substring(prefix.length())));
      }
    } catch (IllegalArgumentException e) {
      // not a token of ours: answered below
    }
    throw AwsServiceError.of("InvalidToken", "Invalid Token: 'Invalid pagination token'");
  }

  static String token(String kind, long position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("v1|" + kind + "|" + position).getBytes(StandardCharsets.UTF_8));
  }
}
