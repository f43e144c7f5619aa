package com.valuationflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.app.logging.JsonLineLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Every line the process logs while a test runs, written by the app's own JSON layout ({@code
 * LOG_FORMAT=json}), the app's own lines down to {@code DEBUG}; the console is left out meanwhile.
 * Then: every line must parse as a JSON object, and none may contain a value the run treated as
 * secret, which the test records as it meets them: webhook secrets, correlation keys, task tokens
 * and signatures.
 */
public final class JsonLogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  /** Base64 runs as long as a signature; each is looked up among the recorded signatures. */
  private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/=]{40,}");

  /** The shape of the in-memory engine's task tokens, which no test can see. */
  private static final Pattern IN_MEMORY_TASK_TOKEN = Pattern.compile("vfwt1\\.[A-Za-z0-9_-]{20,}");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonLineLayout layout = new JsonLineLayout();
  private final Logger root;
  private final Logger app;
  private final Level appLevel;
  private final List<Appender<ILoggingEvent>> console = new ArrayList<>();
  private final Queue<String> lines = new ConcurrentLinkedQueue<>();
  private final Queue<String> errors = new ConcurrentLinkedQueue<>();
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();
  private final Set<String> signatures = ConcurrentHashMap.newKeySet();
  private final Set<Integer> signatureLengths = ConcurrentHashMap.newKeySet();

  private JsonLogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    app = context.getLogger("com.valuationflow");
    appLevel = app.getLevel();
    setContext(context);
    layout.setContext(context);
  }

  /** Starts capturing, until {@link #close()}. */
  public static JsonLogCapture begin() {
    JsonLogCapture capture = new JsonLogCapture();
    capture.layout.start();
    capture.start();
    for (Iterator<Appender<ILoggingEvent>> it = capture.root.iteratorForAppenders();
        it.hasNext(); ) {
      capture.console.add(it.next());
    }
    capture.console.forEach(capture.root::detachAppender);
    capture.root.addAppender(capture);
    capture.app.setLevel(Level.DEBUG);
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    String line = layout.doLayout(event);
    lines.add(line);
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      errors.add(line);
    }
  }

  /** The {@code ERROR} lines since the last call. */
  public List<String> takeErrors() {
    List<String> taken = new ArrayList<>();
    for (String line = errors.poll(); line != null; line = errors.poll()) {
      taken.add(line);
    }
    return taken;
  }

  /** A value no line may contain: a secret, a correlation key or a task token. */
  public void secret(String value) {
    if (value != null && !value.isBlank()) {
      secrets.add(value);
    }
  }

  /** The signatures of a {@code webhook-signature} header, none of which a line may contain. */
  public void signatures(String header) {
    if (header == null) {
      return;
    }
    for (String entry : header.split(" ")) {
      int comma = entry.indexOf(',');
      String signature = entry.substring(comma + 1);
      if (signature.length() >= 40) {
        signatures.add(signature);
        signatureLengths.add(signature.length());
      }
    }
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The captured lines, parsed. */
  public List<JsonNode> parsed() {
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : lines) {
      try {
        parsed.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + line, e);
      }
    }
    return parsed;
  }

  /** Every line is one JSON object, and none contains a recorded secret value. */
  public void assertCleanJsonLines() {
    List<String> notJson = new ArrayList<>();
    List<String> leaking = new ArrayList<>();
    for (String line : lines) {
      if (!line.endsWith("\n") || line.indexOf('\n') != line.length() - 1 || !isJsonObject(line)) {
        notJson.add(line);
      }
      if (leaks(line)) {
        leaking.add(line);
      }
    }
    assertThat(lines).as("lines logged").isNotEmpty();
    assertThat(notJson).as("lines that are not one JSON object each").isEmpty();
    assertThat(leaking)
        .as(
            "lines with a secret, a correlation key, a task token or a signature (%d secrets and"
                + " %d signatures recorded)",
            secrets.size(), signatures.size())
        .isEmpty();
  }

  public int secretCount() {
    return secrets.size();
  }

  public int signatureCount() {
    return signatures.size();
  }

  private static boolean isJsonObject(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      return node != null && node.isObject() && node.path("message").isTextual();
    } catch (IOException e) {
      return false;
    }
  }

  private boolean leaks(String line) {
    if (IN_MEMORY_TASK_TOKEN.matcher(line).find()) {
      return true;
    }
    for (String secret : secrets) {
      if (line.contains(secret)) {
        return true;
      }
    }
    Matcher run = BASE64_RUN.matcher(line);
    while (run.find()) {
      String found = run.group();
      for (int length : signatureLengths) {
        for (int start = 0; start + length <= found.length(); start++) {
          if (signatures.contains(found.substring(start, start + length))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Override
  public void close() {
    root.detachAppender(this);
    console.forEach(root::addAppender);
    app.setLevel(appLevel);
    stop();
  }
}
