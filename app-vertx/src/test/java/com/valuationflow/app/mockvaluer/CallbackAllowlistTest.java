package com.valuationflow.app.mockvaluer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackAllowlistTest {

  private final CallbackAllowlist allowlist =
      CallbackAllowlist.of(
          List.of(
              URI.create("http://localhost:8080"),
              URI.create("https://loans.example.com/api/webhooks")));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:8080/webhooks/valuations?correlationId=c-1",
        "http://LOCALHOST:8080/",
        "http://localhost:8080",
        "https://loans.example.com/api/webhooks",
        "https://loans.example.com:443/api/webhooks/valuations?correlationId=c-1"
      })
  void urlsUnderAnAllowedPrefixAreAllowed(String url) {
    assertThat(allowlist.allows(URI.create(url))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8081/webhooks/valuations",
        "https://localhost:8080/webhooks/valuations",
        "http://localhost/webhooks/valuations",
        "http://localhost:8080.evil.example/webhooks/valuations",
        "http://localhost:8080@evil.example/webhooks/valuations",
        "http://user@localhost:8080/webhooks/valuations",
        "https://loans.example.com/api/webhooksevil",
        "https://loans.example.com/api/webhooks/../admin",
        "https://loans.example.com/api/webhooks/%2e%2e/admin",
        "https://loans.example.com/api",
        "http://loans.example.com/api/webhooks/valuations"
      })
  void anyOtherUrlIsRefused(String url) {
    assertThat(allowlist.allows(URI.create(url))).isFalse();
  }
}
