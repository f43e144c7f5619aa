package com.valuationflow.infra.local.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One function's log file, {@code <function>.log}, which all its instances write to as they would
 * to its CloudWatch log group: each line stamped with the time, the instance and the request it
 * belongs to, with Lambda's {@code START}, {@code END} and {@code REPORT} lines around each
 * invocation.
 */
final class FunctionLog implements AutoCloseable {

  private final Writer out;
  private final int memoryMb;

  FunctionLog(Path directory, FunctionConfig function) {
    this.memoryMb = function.memoryMb();
    try {
      Files.createDirectories(directory);
      this.out =
          Files.newBufferedWriter(
              directory.resolve(function.name() + ".log"),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the log of " + function.name(), e);
    }
  }

  /** Copies a process's output here line by line, on a daemon thread, until it ends. */
  void pump(InputStream output, String instance, Supplier<String> requestId) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  write(instance, requestId.get(), line);
                }
              } catch (IOException e) {
                write(instance, requestId.get(), "(output lost: " + e.getMessage() + ")");
              }
            },
            "lambda-log-" + instance);
    thread.setDaemon(true);
    thread.start();
  }

  void start(String instance, String requestId) {
    write(instance, requestId, "START RequestId: " + requestId + " Version: $LATEST");
  }

  void end(
      String instance,
      String requestId,
      Duration duration,
      Duration initDuration,
      long maxMemoryUsedMb) {
    write(instance, requestId, "END RequestId: " + requestId);
    String report =
        String.format(
            Locale.ROOT,
            "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB",
            requestId,
            duration.toNanos() / 1e6,
            Math.max(1, (duration.toNanos() + 999_999) / 1_000_000),
            memoryMb);
    if (maxMemoryUsedMb >= 0) {
      report += "\tMax Memory Used: " + maxMemoryUsedMb + " MB";
    }
    if (initDuration != null) {
      report +=
          String.format(Locale.ROOT, "\tInit Duration: %.2f ms", initDuration.toNanos() / 1e6);
    }
    write(instance, requestId, report);
  }

  void write(String instance, String requestId, String text) {
    synchronized (out) {
      try {
        out.write(Instant.now() + " [" + instance + "] " + requestId + " " + text + "\n");
        out.flush();
      } catch (IOException e) {
        // The log is for people; losing a line must not fail an invocation.
      }
    }
  }

  @Override
  public void close() {
    synchronized (out) {
      try {
        out.close();
      } catch (IOException e) {
        // Nothing more to write.
      }
    }
  }
}
