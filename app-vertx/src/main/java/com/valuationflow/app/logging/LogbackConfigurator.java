package com.valuationflow.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures Logback, the one logging back end: the app's {@code System.Logger} calls, the
 * libraries' SLF4J calls (Netty, Vert.x, the AWS SDK) and {@code java.util.logging} all end up on
 * standard output, as text or JSON lines per {@link LoggingSettings}. Logback finds it through
 * {@code ServiceLoader} and calls it on first use, with the settings from the environment (the
 * defaults if they are invalid: {@code Main} refuses to start then, naming the variable).
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {

  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level %logger - %msg%replace( [%mdc]){' \\[\\]', ''}%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LoggingSettings settings;
    try {
      settings = LoggingSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      settings = LoggingSettings.DEFAULTS;
    }
    apply(context, settings);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static void apply(LoggerContext context, LoggingSettings settings) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    context.getCopyOfListenerList().stream()
        .filter(LevelChangePropagator.class::isInstance)
        .forEach(context::removeListener);
    LevelChangePropagator julLevels = new LevelChangePropagator();
    julLevels.setContext(context);
    julLevels.setResetJUL(true);
    julLevels.start();
    context.addListener(julLevels);
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }

    LayoutBase<ILoggingEvent> layout;
    if (settings.format() == LoggingSettings.Format.JSON) {
      layout = new JsonLineLayout();
    } else {
      PatternLayout pattern = new PatternLayout();
      pattern.setPattern(TEXT_PATTERN);
      layout = pattern;
    }
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder);
    console.start();
    root.addAppender(console);
    root.setLevel(Level.toLevel(settings.level()));
    // Vert.x registers its server gauges once per HTTP server, and the app runs one per core: the
    // registry keeps the first and warns of the others, which is expected here.
    Level quiet = Level.toLevel(settings.level());
    context
        .getLogger("io.micrometer.core.instrument.MeterRegistry")
        .setLevel(quiet.isGreaterOrEqual(Level.ERROR) ? quiet : Level.ERROR);
  }
}
