package com.valuationflow.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several servers on one port, each on its own event loop, sharing the connections. */
class HttpServersTest {

  private final Vertx vertx = Vertx.vertx();
  private final Set<String> servingThreads = ConcurrentHashMap.newKeySet();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpServers listen(int port, int instances) throws Exception {
    return await(
        HttpServers.listen(
            vertx,
            port,
            instances,
            request -> {
              servingThreads.add(Thread.currentThread().getName());
              request.response().end("ok");
            },
            request -> request.response().setStatusCode(400).end()));
  }

  @Test
  void connectionsToAFreePortAreServedOnSeveralEventLoops() throws Exception {
    HttpServers servers = listen(0, 2);

    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // a new connection each time: keep-alive would keep one connection on one event loop
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
      answers.add(
          client
              .request(HttpMethod.GET, servers.actualPort(), "localhost", "/")
              .compose(request -> request.send())
              .compose(response -> response.body())
              .map(Object::toString)
              .eventually(client::close));
    }

    for (Future<String> answer : answers) {
      assertThat(await(answer)).isEqualTo("ok");
    }
    assertThat(servers.actualPort()).isPositive();
    assertThat(servingThreads).hasSize(2).allMatch(name -> name.contains("eventloop"));
  }

  @Test
  void oneInstanceListensAsAPlainServerAndShutsDown() throws Exception {
    HttpServers servers = listen(0, 1);
    int port = servers.actualPort();

    await(servers.shutdown(Duration.ofMillis(100)));

    HttpClient client = vertx.createHttpClient();
    Future<?> refused =
        client.request(HttpMethod.GET, port, "localhost", "/").compose(request -> request.send());
    assertThat(refused.toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
