package com.valuationflow.domain.model;

import java.net.URI;
import java.util.Objects;

/**
 * What we send a valuer: the property to value, where to call back with the result, and the key
 * that marks a repeat of the same request.
 *
 * @param callbackUrl absolute {@code http} or {@code https} URL of our valuation webhook
 * @param idempotencyKey the same on every request for one application's valuation, first or
 *     retried; a valuer that honours it values the property once and answers repeats with the same
 *     reference. Sent as the {@value #IDEMPOTENCY_KEY_HEADER} header.
 */
public record ValuationRequest(Property property, URI callbackUrl, CorrelationKey idempotencyKey) {

  /** The HTTP header that carries {@link #idempotencyKey()}. */
  public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

  public ValuationRequest {
    Objects.requireNonNull(property, "'property' must not be null");
    Objects.requireNonNull(callbackUrl, "'callbackUrl' must not be null");
    Objects.requireNonNull(idempotencyKey, "'idempotencyKey' must not be null");
    String scheme = callbackUrl.getScheme();
    if (!callbackUrl.isAbsolute()
        || callbackUrl.getHost() == null
        || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
      throw new InvalidValueException(
          "callbackUrl",
          "'callbackUrl' must be an absolute http(s) URL, was '" + callbackUrl + "'");
    }
  }

  /**
   * The request as the valuer's API takes it: {@code
   * {"property":{"nameOrNumber":"999","postcode":"PO1 1CE"},"callbackUrl":"https://..."}}.
   */
  public String json() {
    return "{\"property\":{\"nameOrNumber\":"
        + JsonText.quote(property.nameOrNumber())
        + ",\"postcode\":"
        + JsonText.quote(property.postcode())
        + "},\"callbackUrl\":"
        + JsonText.quote(callbackUrl.toString())
        + "}";
  }
}
