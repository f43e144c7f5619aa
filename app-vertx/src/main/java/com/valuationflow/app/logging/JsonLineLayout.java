package com.valuationflow.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.valuationflow.domain.model.ApplicationReference;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line: {@code timestamp}, {@code level}, {@code logger}, {@code thread},
 * {@code message}, then {@code applicationReference} and {@code webhookId} when known, and {@code
 * exception} (the stack trace as text) when there is one. The application reference comes from
 * {@link LogFields} or, failing that, from the first {@link ApplicationReference} among the
 * message's arguments, so that the domain, which logs through {@code System.Logger}, need not know
 * about fields.
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {

  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public String doLayout(ILoggingEvent event) {
    Map<String, String> fields = new LinkedHashMap<>();
    String reference = event.getMDCPropertyMap().get(LogFields.APPLICATION_REFERENCE);
    if (reference == null && event.getArgumentArray() != null) {
      for (Object argument : event.getArgumentArray()) {
        if (argument instanceof ApplicationReference found) {
          reference = found.value();
          break;
        }
      }
    }
    fields.put(LogFields.APPLICATION_REFERENCE, reference);
    fields.put(LogFields.WEBHOOK_ID, event.getMDCPropertyMap().get(LogFields.WEBHOOK_ID));
    IThrowableProxy thrown = event.getThrowableProxy();
    fields.put("exception", thrown == null ? null : ThrowableProxyUtil.asString(thrown));
    return line(
        event.getInstant(),
        event.getLevel().toString(),
        event.getLoggerName(),
        event.getThreadName(),
        event.getFormattedMessage(),
        fields);
  }

  /** A line with these values; fields whose value is {@code null} are left out. */
  public static String line(
      Instant timestamp,
      String level,
      String logger,
      String thread,
      String message,
      Map<String, String> fields) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("timestamp", timestamp.toString());
      json.writeStringField("level", level);
      json.writeStringField("logger", logger);
      json.writeStringField("thread", thread);
      json.writeStringField("message", message);
      for (Map.Entry<String, String> field : fields.entrySet()) {
        if (field.getValue() != null) {
          json.writeStringField(field.getKey(), field.getValue());
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.append('\n').toString();
  }
}
