package com.valuationflow.app.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Key sets as identity providers publish them: unusable keys are left out, not fatal. */
class JsonWebKeysTest {

  private static JsonWebKeys parse(String json) {
    return JsonWebKeys.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void keysThisAppCannotVerifyWithAreLeftOut() {
    String p256 =
        "\"kty\":\"EC\",\"crv\":\"P-256\","
            + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
            + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"";
    JsonWebKeys keys =
        parse(
            "{\"keys\":["
                + "{\"kid\":\"ec\","
                + p256
                + "},"
                + "{\"kid\":\"enc\",\"use\":\"enc\","
                + p256
                + "},"
                + "{"
                + p256
                + "},"
                + "{\"kid\":\"oct\",\"kty\":\"oct\",\"k\":\"c2VjcmV0\"},"
                + "{\"kid\":\"small-rsa\",\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"},"
                + "{\"kid\":\"broken\",\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"!!\"}"
                + "]}");

    assertThat(keys.size()).isEqualTo(1);
    assertThat(keys.get("ec")).isPresent();
  }

  @Test
  void aDocumentWithoutKeysIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> parse("{\"keys\":{}}"));
    assertThatIllegalArgumentException().isThrownBy(() -> parse("<html>"));
  }
}
