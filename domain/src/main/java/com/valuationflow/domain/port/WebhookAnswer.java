package com.valuationflow.domain.port;

import java.util.Objects;

/** The final HTTP answer given to a callback, kept to be given again to its repeats. */
public record WebhookAnswer(int status, String contentType, String body) {

  public WebhookAnswer {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("'status' must be an HTTP status, was " + status);
    }
    Objects.requireNonNull(contentType, "'contentType' must not be null");
    Objects.requireNonNull(body, "'body' must not be null");
  }
}
