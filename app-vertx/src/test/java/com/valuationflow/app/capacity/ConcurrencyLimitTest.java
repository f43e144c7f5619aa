package com.valuationflow.app.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.http.ProblemHandler;
import com.valuationflow.domain.port.ServiceUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adaptive admission limit over loopback HTTP, in front of routes that answer as the app's do:
 * {@code /unavailable} fails as a slow or throttling AWS call does, {@code /rate-limited} as the
 * app's own quota refuses, {@code /held} waits until released, {@code /ok} answers at once.
 */
class ConcurrencyLimitTest {

  private static final int MAX = 50;

  private final Vertx vertx = Vertx.vertx();
  private final List<Promise<Void>> held = new CopyOnWriteArrayList<>();
  private final ConcurrencyLimit limit = new ConcurrencyLimit(MAX);
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void start() throws Exception {
    Router router = Router.router(vertx);
    router.route().handler(limit);
    router
        .get("/unavailable")
        .handler(
            ctx ->
                ctx.fail(
                    new ServiceUnavailableException(
                        "DynamoDB did not answer in time", null, Duration.ofSeconds(1))));
    router
        .get("/rate-limited")
        .handler(
            ctx ->
                ctx.fail(new RateLimitExceededException("SFN_SEND_TASK", Duration.ofMillis(200))));
    router
        .get("/held")
        .handler(
            ctx -> {
              Promise<Void> release = Promise.promise();
              held.add(release);
              release.future().onComplete(done -> ctx.response().end("done"));
            });
    router.get("/ok").handler(ctx -> ctx.response().end("ok"));
    router.route().failureHandler(new ProblemHandler());
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "localhost"));
    client =
        WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(MAX));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void servicesThatCannotKeepUpLowerTheLimitSoTheExcessIsRefusedBeforeAnyWork() throws Exception {
    assertThat(limit.limit()).isEqualTo(MAX);

    for (int i = 0; i < 30; i++) {
      assertThat(get("/unavailable").statusCode()).isEqualTo(503);
    }
    assertThat(limit.limit()).as("cut by a tenth per refusal, never below the floor").isEqualTo(10);

    List<Future<HttpResponse<Buffer>>> burst =
        IntStream.range(0, 15).mapToObj(i -> send("/held")).toList();
    awaitHeld(10);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (burst.stream().filter(Future::isComplete).count() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(burst.stream().filter(Future::isComplete).map(f -> f.result().statusCode()))
        .as("beyond the lowered limit: refused at once")
        .hasSize(5)
        .containsOnly(503);
    assertThat(burst.stream().filter(Future::isComplete).map(f -> f.result().bodyAsString()))
        .allMatch(body -> body.contains("/problems/at-capacity"));

    held.forEach(Promise::tryComplete);
    await(Future.join(burst));
    assertThat(limit.limit()).as("answers while the limit was in use raise it").isGreaterThan(10);
  }

  @Test
  void answersWhileTheLimitIsLittleUsedDoNotRaiseIt() throws Exception {
    for (int i = 0; i < 30; i++) {
      get("/unavailable");
    }
    for (int i = 0; i < 20; i++) {
      assertThat(get("/ok").statusCode()).isEqualTo(200);
    }
    assertThat(limit.limit()).as("one at a time is less than half of 10").isEqualTo(10);
  }

  @Test
  void theAppsOwnQuotaRefusalsLeaveTheLimitAsItIs() throws Exception {
    for (int i = 0; i < 30; i++) {
      HttpResponse<Buffer> response = get("/rate-limited");
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.bodyAsString()).contains("/problems/service-unavailable");
    }
    assertThat(limit.limit()).isEqualTo(MAX);
  }

  @Test
  void aLargeLimitFallsNoLowerThanATenthOfItself() {
    ConcurrencyLimit large = new ConcurrencyLimit(1000);
    for (int i = 0; i < 100; i++) {
      large.answered(true, 1000);
    }
    assertThat(large.limit()).isEqualTo(100);
  }

  @Test
  void theLimitNeverRisesAboveItsMaximum() {
    for (int i = 0; i < 100; i++) {
      limit.answered(false, MAX);
    }
    assertThat(limit.limit()).isEqualTo(MAX);
  }

  private void awaitHeld(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (held.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(held).hasSize(count);
  }

  private Future<HttpResponse<Buffer>> send(String path) {
    return client.get(server.actualPort(), "localhost", path).timeout(10_000).send();
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return await(send(path));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
