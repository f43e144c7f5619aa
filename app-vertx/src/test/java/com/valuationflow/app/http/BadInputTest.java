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
import java.nio.charset.StandardCharsets;
import java.util.Map;
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

  static Stream<Arguments> malformedRequests() {
    String loan =
        "{\"applicationReference\":\"a\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}";
    Map<String, String> json = Map.of("Content-Type", "application/json");
    return Stream.of(
        Arguments.of(
            "a path parameter that is not percent-encoding",
            HttpMethod.GET,
            "/loan-applications/a%2",
            Map.of(),
            null,
            400),
        Arguments.of(
            "a query string that is not percent-encoding",
            HttpMethod.GET,
            "/loan-applications/a?b=%zz",
            Map.of(),
            null,
            400),
        Arguments.of(
            "a path no route takes that is not percent-encoding",
            HttpMethod.TRACE,
            "/%zz",
            Map.of(),
            null,
            400),
        Arguments.of(
            "a number too large for any decimal",
            HttpMethod.POST,
            "/loan-applications",
            json,
            utf8("{\"applicationReference\":1e2147483648}"),
            400),
        Arguments.of(
            "a body in UTF-16",
            HttpMethod.POST,
            "/loan-applications",
            json,
            loan.getBytes(StandardCharsets.UTF_16LE),
            400),
        Arguments.of(
            "an expectation other than 100-continue",
            HttpMethod.POST,
            "/loan-applications",
            Map.of("Content-Type", "application/json", "Expect", "something"),
            utf8(loan),
            417),
        Arguments.of(
            "a Content-Type that cannot be parsed",
            HttpMethod.POST,
            "/loan-applications",
            Map.of("Content-Type", "application/json; charset=\""),
            utf8(loan),
            415),
        Arguments.of(
            "a form under a query string that is not percent-encoding",
            HttpMethod.POST,
            "/webhooks/valuations?correlationId=c-1&%zz",
            Map.of("Content-Type", "application/x-www-form-urlencoded"),
            utf8("a=b"),
            415),
        Arguments.of(
            "too long a request line",
            HttpMethod.GET,
            "/loan-applications/" + "a".repeat(5_000),
            Map.of(),
            null,
            414),
        Arguments.of(
            "too large headers",
            HttpMethod.GET,
            "/health",
            Map.of("X-Large", "a".repeat(9_000)),
            null,
            431));
  }

  /** Each of these once got a 500, a bare status without a problem, or no answer at all. */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformedRequests")
  void aMalformedRequestGetsA4xxProblem(
      String description,
      HttpMethod method,
      String path,
      Map<String, String> headers,
      byte[] body,
      int status) {
    RunningApp.Response response = app.sendRaw(method, path, headers, body);

    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.json().path("status").asInt()).isEqualTo(status);
    assertThat(app.get("/health").status()).isEqualTo(200);
    assertThat(app.get("/loan-applications/a").status()).isEqualTo(404);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void healthIsUp() {
    RunningApp.Response response = app.get("/health");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("status").asText()).isEqualTo("UP");
  }
}
