package com.valuationflow.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** The messages one logger writes while a test runs, down to {@code DEBUG}. */
public final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final Logger logger;
  private final Level level;
  private final List<String> messages = new CopyOnWriteArrayList<>();

  private CapturedLog(Logger logger) {
    this.logger = logger;
    this.level = logger.getLevel();
  }

  public static CapturedLog of(Class<?> loggingClass) {
    CapturedLog captured =
        new CapturedLog((Logger) LoggerFactory.getLogger(loggingClass.getName()));
    captured.setContext(captured.logger.getLoggerContext());
    captured.start();
    captured.logger.addAppender(captured);
    captured.logger.setLevel(Level.DEBUG);
    return captured;
  }

  public List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  protected void append(ILoggingEvent event) {
    messages.add(event.getFormattedMessage());
  }

  @Override
  public void close() {
    logger.setLevel(level);
    logger.detachAppender(this);
    stop();
  }
}
