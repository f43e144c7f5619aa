package com.valuationflow.infra.local;

import static com.valuationflow.infra.local.LocalAwsFixture.APP_KEY;
import static com.valuationflow.infra.local.LocalAwsFixture.UNKNOWN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;

/** Authentication, routing, body decoding and error answers of the gateway. */
class LocalAwsGatewayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LIST = "AWSStepFunctions.ListStateMachines";

  private static LocalAwsFixture aws;
  private static LocalAwsGateway failing;

  @BeforeAll
  static void start() {
    aws = new LocalAwsFixture();
    aws.stepFunctions.createStateMachine(
        "listed",
        "{\"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Succeed\"}}}",
        "arn:aws:iam::123456789012:role/r",
        Map.of());
    failing =
        LocalAwsGateway.builder("eu-west-2", "123456789012")
            .service(new FailingService())
            .accessKey(APP_KEY, LocalAwsFixture.APP)
            .maxBodyBytes(1024)
            .start();
  }

  @AfterAll
  static void stop() {
    failing.close();
    aws.close();
  }

  @Test
  void anUnknownAccessKeyIsAnUnrecognizedClient() {
    try (SfnClient stranger = aws.sfn(UNKNOWN_KEY)) {
      assertThatThrownBy(() -> stranger.listStateMachines(r -> {}))
          .isInstanceOfSatisfying(
              SfnException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("UnrecognizedClientException");
                assertThat(e.statusCode()).isEqualTo(403);
              });
    }
  }

  @Test
  void aKeyAddedLaterIsRecognized() {
    aws.gateway.addAccessKey("AKIALATERLATERLATER1", LocalAwsFixture.APP);

    try (SfnClient later = aws.sfn("AKIALATERLATERLATER1")) {
      assertThat(later.listStateMachines(r -> {}).stateMachines()).isNotEmpty();
    }
  }

  @Test
  void aRequestWithoutAuthorizationIsRefused() {
    HttpResponse<String> response = RawAws.post(aws.gateway.endpoint(), LIST, null, "{}");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(type(response)).isEqualTo("MissingAuthenticationTokenException");
    assertThat(
            type(RawAws.post(aws.gateway.endpoint(), LIST, "AWS4-HMAC-SHA256 Signature=x", "{}")))
        .isEqualTo("IncompleteSignatureException");
  }

  @Test
  void malformedBodiesAreSerializationExceptions() {
    HttpResponse<String> broken = post(LIST, "{\"maxResults\": ");
    HttpResponse<String> array = post(LIST, "[1, 2]");
    HttpResponse<String> wrongType = post(LIST, "{\"maxResults\": \"ten\"}");

    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(type(broken)).isEqualTo("SerializationException");
    assertThat(type(array)).isEqualTo("SerializationException");
    assertThat(type(wrongType)).isEqualTo("SerializationException");
    assertThat(broken.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.0");
  }

  @Test
  void unknownTargetsAndOperationsAreUnknownOperations() {
    assertThat(type(post("AWSStepFunctions.CreateActivity", "{}")))
        .isEqualTo("UnknownOperationException");
    assertThat(type(post("AmazonSQS.SendMessage", "{}"))).isEqualTo("UnknownOperationException");
    assertThat(type(post(null, "{}"))).isEqualTo("UnknownOperationException");
    HttpResponse<String> get =
        RawAws.send(
            RawAws.request(aws.gateway.endpoint(), LIST, RawAws.authorization(APP_KEY, "states"))
                .GET()
                .build());
    assertThat(get.statusCode()).isEqualTo(404);
    assertThat(type(get)).isEqualTo("UnknownOperationException");
  }

  @Test
  void gzipAndChunkedBodiesAreRead() {
    byte[] gzipped = gzip("{\"maxResults\": 1}");
    HttpResponse<String> chunked =
        RawAws.send(
            RawAws.request(aws.gateway.endpoint(), LIST, RawAws.authorization(APP_KEY, "states"))
                .header("Content-Encoding", "gzip")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(gzipped)))
                .build());
    HttpResponse<String> sized =
        RawAws.send(
            RawAws.request(aws.gateway.endpoint(), LIST, RawAws.authorization(APP_KEY, "states"))
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped))
                .build());
    HttpResponse<String> notGzip =
        RawAws.send(
            RawAws.request(aws.gateway.endpoint(), LIST, RawAws.authorization(APP_KEY, "states"))
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());

    assertThat(chunked.statusCode()).isEqualTo(200);
    assertThat(json(chunked).path("stateMachines").size()).isEqualTo(1);
    assertThat(sized.statusCode()).isEqualTo(200);
    assertThat(type(notGzip)).isEqualTo("SerializationException");
  }

  @Test
  void aFailureInsideIsA500WithoutDetails() {
    HttpResponse<String> response =
        RawAws.post(
            failing.endpoint(), "Failing.Explode", RawAws.authorization(APP_KEY, "failing"), "{}");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(type(response)).isEqualTo("InternalFailure");
    assertThat(response.body()).doesNotContain("secret detail", "at com.", "Exception:");
  }

  @Test
  void anOversizedBodyIsRefused() {
    HttpResponse<String> response =
        RawAws.post(
            failing.endpoint(),
            "Failing.Anything",
            RawAws.authorization(APP_KEY, "failing"),
            "{\"pad\": \"" + "x".repeat(2000) + "\"}");

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(type(response)).isEqualTo("RequestEntityTooLargeException");
  }

  private static HttpResponse<String> post(String target, String body) {
    return RawAws.post(
        aws.gateway.endpoint(), target, RawAws.authorization(APP_KEY, "states"), body);
  }

  private static String type(HttpResponse<String> response) {
    return json(response).path("__type").asText();
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A service whose every call fails with an unexpected exception. */
  private static final class FailingService implements AwsJsonService {
    @Override
    public String targetPrefix() {
      return "Failing";
    }

    @Override
    public String iamPrefix() {
      return "failing";
    }

    @Override
    public String contentType() {
      return "application/x-amz-json-1.1";
    }

    @Override
    public String resourceOf(String operation, JsonNode request) {
      return "*";
    }

    @Override
    public JsonNode call(String operation, JsonNode request) {
      throw new IllegalStateException("secret detail");
    }
  }
}
