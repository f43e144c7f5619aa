package com.valuationflow.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The messages one logger writes while a test runs. */
public final class CapturedLog extends Handler implements AutoCloseable {

  private final Logger logger;
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final List<String> messages = new CopyOnWriteArrayList<>();

  private CapturedLog(Logger logger) {
    this.logger = logger;
  }

  public static CapturedLog of(Class<?> loggingClass) {
    CapturedLog captured = new CapturedLog(Logger.getLogger(loggingClass.getName()));
    captured.logger.addHandler(captured);
    return captured;
  }

  public List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void publish(LogRecord logRecord) {
    messages.add(formatter.formatMessage(logRecord));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
