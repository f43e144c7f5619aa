package com.valuationflow.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.AppConfig;
import com.valuationflow.app.RunningApp;
import com.valuationflow.app.ScriptedValuer;
import com.valuationflow.app.webhook.WebhookSecrets;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad requests get a 4xx problem that says what is wrong, and change nothing. */
@ExtendWith(VertxExtension.class)
class BadInputTest {

  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults().withWebhookSecrets(WebhookSecrets.of(ScriptedValuer.SECRET)));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private URI webhook() {
    return URI.create(app.url("/webhooks/valuations"));
  }

  static Stream<Arguments> invalidLoanApplications() {
    return Stream.of(
        Arguments.of("", "", "empty"),
        Arguments.of("not json", "", "not valid JSON"),
        Arguments.of("[]", "", "must be a JSON object"),
        Arguments.of("{\"applicationReference\":\"a\"} trailing", "", "not valid JSON"),
        Arguments.of(
            "{\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}",
            "applicationReference",
            "is required"),
        Arguments.of(
            "{\"applicationReference\":7,\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}",
            "applicationReference",
            "must be a string"),
        Arguments.of(
            "{\"applicationReference\":\"has space\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}",
            "applicationReference",
            "letters, digits"),
        Arguments.of("{\"applicationReference\":\"a\"}", "property", "is required"),
        Arguments.of(
            "{\"applicationReference\":\"a\",\"property\":\"x\"}", "property", "must be an object"),
        Arguments.of(
            "{\"applicationReference\":\"a\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"nowhere\"}}",
            "property.postcode",
            "UK postcode"),
        Arguments.of(
            "{\"applicationReference\":\"a\",\"property\":{\"nameOrNumber\":\" \",\"postcode\":\"PO1 1CE\"}}",
            "property.nameOrNumber",
            "must not be blank"),
        Arguments.of(
            "{\"applicationReference\":\"a\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"},\"extra\":1}",
            "extra",
            "not a known field"),
        Arguments.of(
            "{\"applicationReference\":\"a\",\"applicationReference\":\"b\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}",
            "",
            "not valid JSON"));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("invalidLoanApplications")
  void anInvalidLoanApplicationIsABadRequestNamingTheField(
      String body, String field, String detail) {
    RunningApp.Response response = app.post("/loan-applications", body);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.json().path("status").asInt()).isEqualTo(400);
    assertThat(response.json().path("detail").asText()).contains(detail);
    if (!field.isEmpty()) {
      assertThat(response.json().path("errors").findValuesAsText("field")).contains(field);
      assertThat(response.json().path("detail").asText()).contains(field);
    }
    assertThat(app.get("/loan-applications/a").status()).isEqualTo(404);
  }

  @Test
  void everyMissingFieldIsReportedAtOnce() {
    RunningApp.Response response = app.post("/loan-applications", "{\"property\":{}}");

    assertThat(response.json().path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder(
            "applicationReference", "property.nameOrNumber", "property.postcode");
  }

  @Test
  void anInvalidCallbackIsABadRequestAndResumesNothing() {
    RunningApp.Response response =
        app.postAbs(webhook(), "{\"valuationReference\":\"val-1\",\"propertyValue\":\"lots\"}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("errors").findValuesAsText("field")).contains("propertyValue");
  }

  @Test
  void aNonPositivePropertyValueIsABadRequest() {
    RunningApp.Response response =
        app.postAbs(webhook(), "{\"valuationReference\":\"val-1\",\"propertyValue\":-5}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("detail").asText()).contains("propertyValue must be positive");
  }

  @Test
  void aCallbackForAnUnknownReferenceIsNotFound() {
    RunningApp.Response response =
        app.postAbs(webhook(), "{\"valuationReference\":\"val-unknown\",\"propertyValue\":250000}");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().path("type").asText())
        .isEqualTo("/problems/unknown-valuation-reference");
  }

  @Test
  void anUnknownLoanApplicationIsNotFound() {
    assertThat(app.get("/loan-applications/nobody").status()).isEqualTo(404);
    assertThat(app.get("/loan-applications/not%20valid").status()).isEqualTo(404);
  }

  @Test
  void aBodyThatIsNotJsonIsUnsupported() {
    RunningApp.Response response =
        app.send(HttpMethod.POST, "/loan-applications", "text/plain", "applicationReference=a");

    assertThat(response.status()).isEqualTo(415);
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void anOversizedBodyIsRefused() {
    String huge = "{\"applicationReference\":\"" + "a".repeat(ApiRouter.BODY_LIMIT_BYTES) + "\"}";

    RunningApp.Response response = app.post("/loan-applications", huge);

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void unknownPathsAndMethodsAreProblemsToo() {
    assertThat(app.get("/nowhere").status()).isEqualTo(404);
    assertThat(app.get("/nowhere").headers().get("Content-Type"))
        .isEqualTo("application/problem+json");
    assertThat(app.send(HttpMethod.DELETE, "/loan-applications/a", null, null).status())
        .isIn(404, 405);
  }

  @Test
  void healthIsUp() {
    RunningApp.Response response = app.get("/health");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("status").asText()).isEqualTo("UP");
  }
}
