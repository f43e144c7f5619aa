package com.valuationflow.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.domain.model.ApplicationReference;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JsonLineLayoutTest {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger logger = context.getLogger("com.valuationflow.Example");
  private final JsonLineLayout layout = new JsonLineLayout();

  private JsonNode parse(String line) throws Exception {
    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    return new ObjectMapper().readTree(line);
  }

  @Test
  void aLineIsOneJsonObjectWithTheEventsFieldsAndTheStackTrace() throws Exception {
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            logger,
            Level.WARN,
            "Quote \" and\nnewline",
            new IllegalStateException("boom"),
            null);
    event.setMDCPropertyMap(Map.of(LogFields.WEBHOOK_ID, "msg_1"));

    JsonNode line = parse(layout.doLayout(event));

    assertThat(line.path("level").asText()).isEqualTo("WARN");
    assertThat(line.path("logger").asText()).isEqualTo("com.valuationflow.Example");
    assertThat(line.path("message").asText()).isEqualTo("Quote \" and\nnewline");
    assertThat(line.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(line.path("timestamp").asText()).endsWith("Z");
    assertThat(line.path("webhookId").asText()).isEqualTo("msg_1");
    assertThat(line.path("exception").asText())
        .startsWith("java.lang.IllegalStateException: boom")
        .contains("at com.valuationflow.app.logging.JsonLineLayoutTest");
    assertThat(line.has("applicationReference")).isFalse();
  }

  @Test
  void theApplicationReferenceComesFromTheFieldsOrElseTheArguments() throws Exception {
    LoggingEvent fromArgument =
        new LoggingEvent(
            Logger.class.getName(),
            logger,
            Level.INFO,
            "Application app-1 resumed",
            null,
            new Object[] {"other", ApplicationReference.of("app-1")});
    LoggingEvent fromField =
        new LoggingEvent(
            Logger.class.getName(),
            logger,
            Level.INFO,
            "Resumed",
            null,
            new Object[] {ApplicationReference.of("app-1")});
    fromField.setMDCPropertyMap(Map.of(LogFields.APPLICATION_REFERENCE, "app-2"));

    assertThat(parse(layout.doLayout(fromArgument)).path("applicationReference").asText())
        .isEqualTo("app-1");
    assertThat(parse(layout.doLayout(fromField)).path("applicationReference").asText())
        .isEqualTo("app-2");
  }
}
