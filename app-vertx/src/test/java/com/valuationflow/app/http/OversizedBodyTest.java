package com.valuationflow.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.AppConfig;
import com.valuationflow.app.RunningApp;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A body announced larger than the limit is refused before it is sent, on every endpoint. */
@ExtendWith(VertxExtension.class)
class OversizedBodyTest {

  private RunningApp app;

  @BeforeEach
  void start(Vertx vertx) {
    app = RunningApp.start(vertx, AppConfig.defaults());
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/loan-applications",
        "/webhooks/valuations?correlationId=c-1",
        "/valuer/valuations"
      })
  void isAnswered413WithoutReadingTheWholeBody(String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", app.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 104857600\r\n\r\n{\"applicationReference\":")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();

      InputStream in = socket.getInputStream();
      String head = new String(in.readNBytes(200), StandardCharsets.US_ASCII);

      assertThat(head)
          .startsWith("HTTP/1.1 413")
          .containsIgnoringCase("content-type: application/problem+json");
    }
  }
}
