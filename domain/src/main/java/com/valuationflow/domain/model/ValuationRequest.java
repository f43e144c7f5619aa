package com.valuationflow.domain.model;

import java.net.URI;
import java.util.Objects;

/**
 * What we send a valuer: the property to value and where to call back with the result.
 *
 * @param callbackUrl absolute {@code http} or {@code https} URL of our valuation webhook
 */
public record ValuationRequest(Property property, URI callbackUrl) {

  public ValuationRequest {
    Objects.requireNonNull(property, "'property' must not be null");
    Objects.requireNonNull(callbackUrl, "'callbackUrl' must not be null");
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
