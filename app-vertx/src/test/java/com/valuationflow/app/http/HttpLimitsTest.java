package com.valuationflow.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.AppConfig;
import com.valuationflow.app.HttpLimits;
import com.valuationflow.app.RunningApp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP server's timeouts and size limits, over real HTTP on loopback. */
@ExtendWith(VertxExtension.class)
class HttpLimitsTest {

  private static final String LOAN =
      "{\"applicationReference\":\"%s\",\"property\":{\"nameOrNumber\":\"1\",\"postcode\":\"PO1 1CE\"}}";

  private static AppConfig limitedTo(HttpLimits limits) {
    return AppConfig.defaults().withHttpLimits(limits);
  }

  @Test
  void aConnectionThatCarriesNothingIsClosedAfterTheIdleTimeout(Vertx vertx) throws Exception {
    try (RunningApp app =
            RunningApp.start(
                vertx,
                limitedTo(
                    new HttpLimits(Duration.ofSeconds(1), Duration.ofSeconds(30), 4_096, 8_192)));
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();

      assertThat(in.read()).as("the server closed the idle connection").isEqualTo(-1);
    }
  }

  @Test
  void aRequestLineOrHeadersBeyondTheLimitsGet414Or431Problems(Vertx vertx) {
    try (RunningApp app =
        RunningApp.start(
            vertx,
            limitedTo(
                new HttpLimits(Duration.ofSeconds(60), Duration.ofSeconds(30), 512, 2_048)))) {
      RunningApp.Response longLine =
          app.sendRaw(HttpMethod.GET, "/loan-applications/" + "a".repeat(600), Map.of(), null);
      RunningApp.Response shorterLine =
          app.sendRaw(HttpMethod.GET, "/loan-applications/" + "a".repeat(400), Map.of(), null);
      RunningApp.Response largeHeaders =
          app.sendRaw(HttpMethod.GET, "/health", Map.of("X-Large", "a".repeat(2_500)), null);
      RunningApp.Response smallerHeaders =
          app.sendRaw(HttpMethod.GET, "/health", Map.of("X-Large", "a".repeat(1_500)), null);

      assertThat(longLine.status()).isEqualTo(414);
      assertThat(longLine.headers().get("Content-Type")).isEqualTo(Problem.CONTENT_TYPE);
      assertThat(longLine.json().path("status").asInt()).isEqualTo(414);
      assertThat(shorterLine.status()).isEqualTo(404);
      assertThat(largeHeaders.status()).isEqualTo(431);
      assertThat(largeHeaders.headers().get("Content-Type")).isEqualTo(Problem.CONTENT_TYPE);
      assertThat(smallerHeaders.status()).isEqualTo(200);
    }
  }

  @Test
  void aRequestUnansweredInTimeGetsA503ProblemAndALateAnswerIsDropped(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestTimeoutHandler(vertx, Duration.ofMillis(300)));
    router.get("/never").handler(ctx -> {});
    router
        .get("/late")
        .handler(
            ctx ->
                vertx.setTimer(
                    600,
                    fired ->
                        HttpAnswer.of(Problem.of(409, "too-late", "Too late", "Too late"))
                            .send(ctx)));
    router.get("/soon").handler(ctx -> ctx.response().end("soon"));
    HttpServer server =
        RunningApp.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    try {
      var client = io.vertx.ext.web.client.WebClient.create(vertx);
      RunningApp.Response never =
          RunningApp.toResponse(
              RunningApp.await(client.get(server.actualPort(), "127.0.0.1", "/never").send()));
      RunningApp.Response late =
          RunningApp.toResponse(
              RunningApp.await(client.get(server.actualPort(), "127.0.0.1", "/late").send()));
      RunningApp.await(vertx.timer(500, TimeUnit.MILLISECONDS));
      RunningApp.Response soon =
          RunningApp.toResponse(
              RunningApp.await(client.get(server.actualPort(), "127.0.0.1", "/soon").send()));

      assertThat(never.status()).isEqualTo(503);
      assertThat(never.headers().get("Content-Type")).isEqualTo(Problem.CONTENT_TYPE);
      assertThat(never.json().path("type").asText()).isEqualTo("/problems/request-timeout");
      assertThat(late.status()).isEqualTo(503);
      assertThat(soon.status()).as("the server still answers after a late answer").isEqualTo(200);
      assertThat(soon.text()).isEqualTo("soon");
      client.close();
    } finally {
      RunningApp.await(server.close());
    }
  }

  @Test
  void theViewsLiveStreamOutlastsTheRequestTimeout(Vertx vertx) throws Exception {
    AppConfig config =
        limitedTo(new HttpLimits(Duration.ofSeconds(60), Duration.ofMillis(300), 4_096, 8_192))
            .withValuerDelay(Duration.ofMillis(900))
            .withTimeCompressedTo(Duration.ofMillis(10), Duration.ofSeconds(1000));
    try (RunningApp app = RunningApp.start(vertx, config)) {
      assertThat(app.post("/loan-applications", LOAN.formatted("streamed")).status())
          .isEqualTo(202);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<InputStream> stream =
          http.send(
              HttpRequest.newBuilder(URI.create(app.url("/applications/streamed/events")))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      List<String> events = new ArrayList<>();
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("event: ")) {
            events.add(line.substring("event: ".length()));
          }
        }
      }

      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(events).as("the stream ran past the request timeout to its end").endsWith("end");
      assertThat(app.get("/loan-applications/streamed").json().path("status").asText())
          .isEqualTo("SUCCEEDED");
    }
  }
}
