package com.valuationflow.app.benchmark;

import com.valuationflow.app.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app under test in a process of its own ({@code java -cp <this classpath> Main}), so that its
 * CPU time and heap are its own and not the load generator's.
 */
public final class AppProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final Process process;
  private final Path output;
  private final int port;
  private final Thread killOnExit;

  private AppProcess(Process process, Path output, int port, Thread killOnExit) {
    this.process = process;
    this.output = output;
    this.port = port;
    this.killOnExit = killOnExit;
  }

  /** The app's JVM options that {@code bench.appJvmOptions} gives, split at white space. */
  public static List<String> jvmOptionsFromProperties() {
    String options = System.getProperty("bench.appJvmOptions", "").strip();
    return options.isEmpty()
        ? new ArrayList<>()
        : new ArrayList<>(Arrays.asList(options.split("\\s+")));
  }

  /**
   * Starts the app with exactly this environment, JVM options and classpath; waits until it
   * listens.
   */
  public static AppProcess start(
      Map<String, String> environment, List<String> jvmOptions, String classpath, Path output)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(Main.class.getName());
    Files.createDirectories(output.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.redirectOutput(output.toFile()).start();
    // A benchmark stopped halfway (Ctrl-C, a killed build) must not leave the app running.
    Thread killOnExit = new Thread(process::destroyForcibly, "app-process-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher listening = LISTENING.matcher(Files.readString(output, StandardCharsets.UTF_8));
      if (listening.find()) {
        return new AppProcess(process, output, Integer.parseInt(listening.group(1)), killOnExit);
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    Runtime.getRuntime().removeShutdownHook(killOnExit);
    throw new IllegalStateException(
        "The app did not start: " + Files.readString(output, StandardCharsets.UTF_8));
  }

  /** The port its API listens on, as it logged it. */
  public int port() {
    return port;
  }

  /** Its CPU time so far. */
  public long cpuNanos() {
    return Cpu.processNanos(process.toHandle());
  }

  /** The heap in use after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}). */
  public long heapAfterGcBytes() throws IOException, InterruptedException {
    jcmd("GC.run");
    Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
    return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(java()).resolveSibling("jcmd");
    Process run =
        new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
            .redirectErrorStream(true)
            .start();
    String text = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    run.waitFor(30, TimeUnit.SECONDS);
    return text;
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Stops it as an operator would (SIGTERM), forcibly if it takes too long. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(Duration.ofSeconds(40).toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException exiting) {
      // the JVM is shutting down: the hook runs anyway, on a process already gone
    }
  }

  /** Where its standard output and error go. */
  public Path output() {
    return output;
  }

  /** Its process id. */
  public long pid() {
    return process.pid();
  }
}
