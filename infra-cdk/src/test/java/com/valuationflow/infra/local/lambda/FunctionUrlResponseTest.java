package com.valuationflow.infra.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented examples of Lambda's developer guide, "Response payload format". */
class FunctionUrlResponseTest {

  @Test
  void aStringIsA200JsonBodyAsItIs() {
    FunctionUrlResponse response = of("\"Hello, world!\"");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers()).containsExactly(Map.entry("Content-Type", "application/json"));
    assertThat(text(response)).isEqualTo("\"Hello, world!\"");
  }

  @Test
  void anObjectWithoutStatusCodeIsA200JsonBodyAsItIs() {
    FunctionUrlResponse response = of("{\"message\":\"Hello, world!\"}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(text(response)).isEqualTo("{\"message\":\"Hello, world!\"}");
  }

  @Test
  void anObjectWithStatusCodeIsTheResponse() {
    FunctionUrlResponse response =
        of(
            "{\"statusCode\":201,\"headers\":{\"Content-Type\":\"text/plain\",\"My-Custom-Header\":"
                + "\"Custom Value\"},\"body\":\"Hello\",\"cookies\":[\"Cookie_1=Value1; "
                + "Max-Age=78000\"],\"isBase64Encoded\":false}");

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.headers())
        .containsExactly(
            Map.entry("Content-Type", "text/plain"),
            Map.entry("My-Custom-Header", "Custom Value"),
            Map.entry("Set-Cookie", "Cookie_1=Value1; Max-Age=78000"));
    assertThat(text(response)).isEqualTo("Hello");
  }

  @Test
  void aBase64BodyIsDecodedAndAMissingContentTypeIsJson() {
    FunctionUrlResponse response =
        of("{\"statusCode\":200,\"body\":\"AAH/\",\"isBase64Encoded\":true}");

    assertThat(response.body()).containsExactly(0, 1, 255);
    assertThat(response.headers()).containsExactly(Map.entry("Content-Type", "application/json"));
  }

  @Test
  void aResultThatIsNotJsonOrHasABadStatusIsABadGateway() {
    assertThat(of("not json").status()).isEqualTo(502);
    assertThat(of("{\"statusCode\":\"soon\"}").status()).isEqualTo(502);
    assertThat(text(of("{\"statusCode\":99}"))).isEqualTo("Internal Server Error");
  }

  private static FunctionUrlResponse of(String result) {
    return FunctionUrlResponse.of(result.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(FunctionUrlResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
