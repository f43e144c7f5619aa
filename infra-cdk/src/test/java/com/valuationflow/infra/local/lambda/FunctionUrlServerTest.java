package com.valuationflow.infra.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.infra.local.Authorizer;
import com.valuationflow.infra.local.AwsServiceError;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Function URLs over real HTTP, in front of Node.js functions in real processes. */
class FunctionUrlServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARN = "arn:aws:lambda:eu-west-2:123456789012:function:";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path logs;
  @TempDir static Path code;
  private static LocalLambda lambda;
  private static final List<String> decisions = new ArrayList<>();
  private static final List<AutoCloseable> servers = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    Files.writeString(
        code.resolve("echo.js"),
        "exports.handler = async (event) => ({ statusCode: 201,\n"
            + "  headers: { 'content-type': 'application/json', 'x-custom': 'yes' },\n"
            + "  cookies: ['session=1; Path=/', 'theme=dark'],\n"
            + "  body: Buffer.from(JSON.stringify(event)).toString('base64'),\n"
            + "  isBase64Encoded: true });\n");
    Files.writeString(
        code.resolve("plain.js"), "exports.handler = async (event) => ({ answer: 42 });\n");
    Files.writeString(
        code.resolve("fail.js"), "exports.handler = async () => { throw new Error('boom'); };\n");
    lambda = new LocalLambda(LambdaRuntimes.locate(), logs, 10);
    for (String name : List.of("echo", "plain", "fail")) {
      lambda.create(
          new FunctionConfig(
              "url-" + name,
              ARN + "url-" + name,
              "nodejs22.x",
              name + ".handler",
              code,
              Map.of(),
              Duration.ofSeconds(10),
              128));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable server : servers) {
      server.close();
    }
    lambda.close();
  }

  @Test
  void turnsARequestIntoAPayloadFormat2EventAndAStructuredResponseIntoHttp() throws Exception {
    FunctionUrlServer server = server("url-echo", recordingAuthorizer());
    byte[] body = {0, 1, 2, (byte) 0xff};

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(server.url().resolve("/valuations/v1?a=1&a=2&b=hello%20world"))
                .header("Content-Type", "application/octet-stream")
                .header("X-Multi", "one")
                .header("X-Multi", "two")
                .header("Cookie", "c1=v1; c2=v2")
                .header("User-Agent", "url-test")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("x-custom")).contains("yes");
    assertThat(response.headers().allValues("set-cookie"))
        .containsExactly("session=1; Path=/", "theme=dark");
    assertThat(response.headers().firstValue("x-amzn-requestid")).isPresent();
    JsonNode event = JSON.readTree(response.body());
    assertThat(event.get("version").asText()).isEqualTo("2.0");
    assertThat(event.get("routeKey").asText()).isEqualTo("$default");
    assertThat(event.get("rawPath").asText()).isEqualTo("/valuations/v1");
    assertThat(event.get("rawQueryString").asText()).isEqualTo("a=1&a=2&b=hello%20world");
    assertThat(event.get("queryStringParameters"))
        .isEqualTo(JSON.readTree("{\"a\":\"1,2\",\"b\":\"hello world\"}"));
    assertThat(event.get("cookies")).isEqualTo(JSON.readTree("[\"c1=v1\",\"c2=v2\"]"));
    JsonNode headers = event.get("headers");
    assertThat(headers.get("x-multi").asText()).isEqualTo("one,two");
    assertThat(headers.get("content-type").asText()).isEqualTo("application/octet-stream");
    assertThat(headers.has("cookie")).isFalse();
    assertThat(headers.get("x-forwarded-proto").asText()).isEqualTo("http");
    assertThat(event.get("isBase64Encoded").asBoolean()).isTrue();
    assertThat(Base64.getDecoder().decode(event.get("body").asText())).isEqualTo(body);
    JsonNode context = event.get("requestContext");
    assertThat(context.get("accountId").asText()).isEqualTo("anonymous");
    assertThat(context.get("apiId").asText()).isEqualTo(server.urlId()).hasSize(32);
    assertThat(context.get("domainPrefix").asText()).isEqualTo(server.urlId());
    assertThat(context.get("domainName").asText()).isEqualTo(server.url().getAuthority());
    assertThat(context.get("requestId").asText())
        .isEqualTo(response.headers().firstValue("x-amzn-requestid").orElseThrow());
    assertThat(context.get("routeKey").asText()).isEqualTo("$default");
    assertThat(context.get("stage").asText()).isEqualTo("$default");
    assertThat(context.get("time").asText())
        .matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
    assertThat(context.get("timeEpoch").asLong()).isPositive();
    JsonNode http = context.get("http");
    assertThat(http.get("method").asText()).isEqualTo("POST");
    assertThat(http.get("path").asText()).isEqualTo("/valuations/v1");
    assertThat(http.get("protocol").asText()).isEqualTo("HTTP/1.1");
    assertThat(http.get("sourceIp").asText()).isEqualTo("127.0.0.1");
    assertThat(http.get("userAgent").asText()).isEqualTo("url-test");
    assertThat(decisions)
        .contains(
            "* lambda:InvokeFunctionUrl " + ARN + "url-echo",
            "* lambda:InvokeFunction " + ARN + "url-echo");
  }

  @Test
  void sendsJsonTextAsItIsAndAnswersAResultWithoutStatusCodeAs200Json() throws Exception {
    FunctionUrlServer echo = server("url-echo", Authorizer.allowAll());
    FunctionUrlServer plain = server("url-plain", Authorizer.allowAll());

    HttpResponse<String> echoed =
        HTTP.send(
            HttpRequest.newBuilder(echo.url())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":\"é\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> answered =
        HTTP.send(
            HttpRequest.newBuilder(plain.url()).build(), HttpResponse.BodyHandlers.ofString());

    JsonNode event = JSON.readTree(echoed.body());
    assertThat(event.get("body").asText()).isEqualTo("{\"n\":\"é\"}");
    assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
    assertThat(event.has("queryStringParameters")).isFalse();
    assertThat(event.has("cookies")).isFalse();
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(answered.headers().firstValue("content-type")).contains("application/json");
    assertThat(answered.body()).isEqualTo("{\"answer\":42}");
  }

  @Test
  void answersAFunctionErrorWith502() throws Exception {
    FunctionUrlServer server = server("url-fail", Authorizer.allowAll());

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(server.url()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).isEqualTo("Internal Server Error");
  }

  @Test
  void answersA403WhenNothingGrantsTheAnonymousCaller() throws Exception {
    FunctionUrlServer server =
        server(
            "url-plain",
            (principal, action, resource) -> {
              throw AwsServiceError.accessDenied(principal, action, resource);
            });

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(server.url()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-amzn-errortype")).contains("AccessDeniedException");
    assertThat(JSON.readTree(response.body()).get("Message").asText()).startsWith("Forbidden.");
  }

  @Test
  void refusesABodyOverSixMegabytesWith413() throws Exception {
    FunctionUrlServer server = server("url-plain", Authorizer.allowAll());

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(server.url())
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        new byte[FunctionUrlServer.MAX_BODY_BYTES + 1]))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
  }

  private static FunctionUrlServer server(String function, Authorizer authorizer) {
    FunctionUrlServer server = new FunctionUrlServer(lambda, ARN + function, authorizer);
    servers.add(server);
    return server;
  }

  private static Authorizer recordingAuthorizer() {
    return (principal, action, resource) -> {
      synchronized (decisions) {
        decisions.add(principal + " " + action + " " + resource);
      }
    };
  }
}
