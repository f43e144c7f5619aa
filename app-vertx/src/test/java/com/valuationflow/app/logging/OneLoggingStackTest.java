package com.valuationflow.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.app.JsonLogCapture;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every way the app and its libraries log ends in the same back end, as the same JSON lines: {@code
 * System.Logger} (the domain), {@code java.util.logging}, Vert.x, Netty and the AWS SDK.
 */
class OneLoggingStackTest {

  @Test
  void theAppsAndTheLibrariesLinesAllReachTheOneBackEnd() {
    List<JsonNode> lines;
    try (JsonLogCapture logs = JsonLogCapture.begin()) {
      System.getLogger("test.system").log(System.Logger.Level.WARNING, "from {0}", "System.Logger");
      java.util.logging.Logger.getLogger("test.jul").warning("from java.util.logging");
      io.vertx.core.internal.logging.LoggerFactory.getLogger("test.vertx").warn("from Vert.x");
      InternalLoggerFactory.getInstance("test.netty").warn("from Netty");
      software.amazon.awssdk.utils.Logger.loggerFor("test.aws").warn(() -> "from the AWS SDK");
      lines = logs.parsed();
      logs.assertCleanJsonLines();
    }

    assertThat(lines)
        .extracting(line -> line.path("logger").asText() + ": " + line.path("message").asText())
        .containsExactly(
            "test.system: from System.Logger",
            "test.jul: from java.util.logging",
            "test.vertx: from Vert.x",
            "test.netty: from Netty",
            "test.aws: from the AWS SDK");
    assertThat(lines).allMatch(line -> line.path("level").asText().equals("WARN"));
  }
}
