package com.valuationflow.app.valuer;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.port.Valuer;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Why a valuer is unavailable, in our words: the reason is the cause the task fails with. */
class HttpValuerTest {

  private static final ValuationRequest REQUEST =
      new ValuationRequest(
          LoanApplication.of("APP-1", "12", "PO1 1CE").property(),
          URI.create("https://loans.example/webhooks/valuations?correlationId=c-1"),
          CorrelationKey.of("c-1"));

  private static Vertx vertx;
  private static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void aValuerThatRefusesConnectionsIsUnreachable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    assertThat(valuerAt(closedPort).requestValuation(REQUEST))
        .isInstanceOfSatisfying(
            Valuer.Unavailable.class,
            u -> assertThat(u.reason()).isEqualTo("valuer unreachable at 127.0.0.1:" + closedPort));
  }

  @Test
  void aValuerThatNeverAnswersIsTooSlow() throws IOException {
    // the connection waits in the backlog, never read nor answered
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(valuerAt(silent.getLocalPort()).requestValuation(REQUEST))
          .isInstanceOfSatisfying(
              Valuer.Unavailable.class,
              u -> assertThat(u.reason()).isEqualTo("valuer did not answer within 300 ms"));
    }
  }

  private static HttpValuer valuerAt(int port) {
    return new HttpValuer(
        client, URI.create("http://127.0.0.1:" + port + "/valuations"), Duration.ofMillis(300));
  }
}
