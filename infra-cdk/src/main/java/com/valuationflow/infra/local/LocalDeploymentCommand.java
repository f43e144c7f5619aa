package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code local-aws [-c key=value]... [--env-file PATH] [--work-dir DIR]}: deploys the stacks
 * locally, writes the app's settings to the env file once ready, and runs until stopped (SIGTERM or
 * Ctrl-C stop it cleanly and write the IAM report).
 */
public final class LocalDeploymentCommand {

  /**
   * In the work directory: the API key callers of the app send, see {@link
   * LocalDeployment#appApiKey()}.
   */
  public static final String API_KEY_FILE = "api-key";

  static final String USAGE =
      "Usage: local-aws [-c key=value]... [--env-file PATH] [--work-dir DIR]\n"
          + "  -c, --context key=value  CDK context, as for cdk deploy (publicBaseUrl,\n"
          + "                           mockValuerDelaySeconds, valuerUrl, valuerTimeoutMs, ...)\n"
          + "  --env-file PATH          where to write the app's settings (default"
          + " target/local-aws.env)\n"
          + "  --work-dir DIR           cloud assembly, function code, logs and the app's API\n"
          + "                           key (default"
          + " target/local-aws)\n";

  /** The command line, read. */
  record Options(Map<String, String> context, Path envFile, Path workDirectory) {

    /**
     * @param callerDirectory what relative paths on the command line are relative to
     */
    static Options parse(Path callerDirectory, String... args) {
      Map<String, String> context = new LinkedHashMap<>();
      Path envFile = Path.of("target", "local-aws.env").toAbsolutePath();
      Path workDirectory = Path.of("target", "local-aws").toAbsolutePath();
      List<String> rest = new ArrayList<>(List.of(args));
      while (!rest.isEmpty()) {
        String arg = rest.remove(0);
        switch (arg) {
          case "-c", "--context" -> {
            String pair = value(arg, rest);
            int equals = pair.indexOf('=');
            if (equals < 1) {
              throw new IllegalArgumentException(arg + " takes key=value, was '" + pair + "'");
            }
            context.put(pair.substring(0, equals), pair.substring(equals + 1));
          }
          case "--env-file" -> envFile = callerDirectory.resolve(value(arg, rest));
          case "--work-dir" -> workDirectory = callerDirectory.resolve(value(arg, rest));
          default -> {
            if (arg.startsWith("--context=")) {
              rest.add(0, arg.substring("--context=".length()));
              rest.add(0, "-c");
            } else if (arg.startsWith("--env-file=")) {
              envFile = callerDirectory.resolve(arg.substring("--env-file=".length()));
            } else if (arg.startsWith("--work-dir=")) {
              workDirectory = callerDirectory.resolve(arg.substring("--work-dir=".length()));
            } else {
              throw new IllegalArgumentException("Unknown option '" + arg + "'");
            }
          }
        }
      }
      return new Options(context, envFile, workDirectory);
    }

    private static String value(String option, List<String> rest) {
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return rest.remove(0);
    }
  }

  private LocalDeploymentCommand() {}

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options =
          Options.parse(
              Path.of(System.getProperty("local-aws.caller-directory", "")).toAbsolutePath(), args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    LocalDeployment deployment;
    try {
      deployment = LocalDeployment.start(options.context(), options.workDirectory());
    } catch (RuntimeException e) {
      System.err.println("The local deployment did not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop(deployment, options.workDirectory());
                  stopped.countDown();
                },
                "local-aws-stop"));
    try {
      writeOutputs(deployment, options);
    } catch (RuntimeException e) {
      System.err.println("The local deployment could not write its settings: " + e.getMessage());
      System.exit(1); // the shutdown hook stops what started
    }
    System.out.printf(
        "Local deployment ready in %.1f s: AWS endpoint %s%n  stacks: %s%n  app settings: %s%n"
            + "  the app's API key (Authorization: Bearer <key>): %s%n"
            + "Stop with Ctrl-C or SIGTERM.%n",
        deployment.startUp().toMillis() / 1000.0,
        deployment.endpoint(),
        deployment.outputs(),
        options.envFile().toAbsolutePath(),
        options.workDirectory().resolve(API_KEY_FILE).toAbsolutePath());
    stopped.await();
  }

  private static void writeOutputs(LocalDeployment deployment, Options options) {
    try {
      Path outputs = options.workDirectory().resolve("outputs.json");
      Files.createDirectories(outputs.getParent());
      new ObjectMapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(outputs.toFile(), deployment.outputs());
    } catch (IOException e) {
      System.err.println("Could not write the outputs: " + e.getMessage());
    }
    deployment.writeAppApiKey(options.workDirectory().resolve(API_KEY_FILE));
    deployment.writeAppSettings(options.envFile());
  }

  private static void stop(LocalDeployment deployment, Path workDirectory) {
    Path report = workDirectory.resolve("iam-report.txt");
    try {
      Files.writeString(report, deployment.iam().report());
      System.out.println("IAM report: " + report.toAbsolutePath());
    } catch (IOException e) {
      System.err.println("Could not write the IAM report: " + e.getMessage());
    }
    try {
      deployment.close();
      System.out.println("Local deployment stopped.");
    } catch (RuntimeException e) {
      System.err.println("The local deployment did not stop cleanly: " + e.getMessage());
    }
  }
}
