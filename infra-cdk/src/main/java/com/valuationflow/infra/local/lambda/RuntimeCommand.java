package com.valuationflow.infra.local.lambda;

import java.io.File;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * How Lambda's managed runtimes start a function's runtime process: the command line and the
 * environment, which is the function's variables plus those Lambda sets, and nothing of the
 * launcher's own environment.
 */
final class RuntimeCommand {

  private static final String AWS_LAMBDA =
      "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  private static final String JNI_PROPERTY =
      "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  private final LambdaRuntimes runtimes;
  private final Path nodeBootstrap;
  private final Path home;
  private final Path logDirectory;

  /**
   * @param nodeBootstrap the Node.js runtime's entry point ({@code /var/runtime/index.mjs})
   * @param home an empty directory, the functions' {@code HOME}, so that no SDK reads the
   *     launcher's {@code ~/.aws}
   * @param logDirectory where a crashing JVM writes its error report
   */
  RuntimeCommand(LambdaRuntimes runtimes, Path nodeBootstrap, Path home, Path logDirectory) {
    this.runtimes = runtimes;
    this.nodeBootstrap = nodeBootstrap;
    this.home = home;
    this.logDirectory = logDirectory;
  }

  /** A process builder for one instance of the function, talking to the given Runtime API. */
  ProcessBuilder builder(FunctionConfig function, String runtimeApi) {
    ProcessBuilder builder =
        new ProcessBuilder(function.isJava() ? java(function) : node())
            .directory(function.codeDirectory().toFile());
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.putAll(environment(function, runtimeApi));
    return builder;
  }

  private List<String> java(FunctionConfig function) {
    List<String> command = new ArrayList<>();
    command.add(runtimes.javaBinary().toString());
    // As the Java 17+ runtimes start the JVM: 85% of the memory as heap, C1 only, serial GC.
    command.add("-XX:MaxHeapSize=" + function.memoryMb() * 1024 * 85 / 100 + "k");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:+TieredCompilation");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xshare:auto");
    command.add("-XX:-UsePerfData");
    command.add("-Djava.net.preferIPv4Stack=true");
    command.add("-XX:ErrorFile=" + logDirectory.resolve("hs_err_" + function.name() + "_%p.log"));
    command.add("-Duser.home=" + home);
    // The client's own loader would unpack its library to one /tmp path for every process.
    command.add("-D" + JNI_PROPERTY + "=" + runtimes.javaNativeLibrary());
    command.add("-classpath");
    command.add(
        runtimes.javaClasspath().stream().map(Path::toString).collect(Collectors.joining(":")));
    command.add(AWS_LAMBDA);
    command.add(function.handler());
    return command;
  }

  private List<String> node() {
    return List.of(runtimes.nodeBinary().toString(), nodeBootstrap.toString());
  }

  private Map<String, String> environment(FunctionConfig function, String runtimeApi) {
    Map<String, String> environment = new HashMap<>(function.environment());
    environment.putIfAbsent("AWS_REGION", function.region());
    environment.putIfAbsent("AWS_DEFAULT_REGION", function.region());
    Path binary = function.isJava() ? runtimes.javaBinary() : runtimes.nodeBinary();
    Path runtimeDirectory =
        function.isJava() ? runtimes.javaClasspath().get(0).getParent() : nodeBootstrap.getParent();
    environment.put("_HANDLER", function.handler());
    environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
    environment.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
    environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
    environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
    environment.put("AWS_LAMBDA_LOG_STREAM_NAME", logStreamName());
    environment.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
    environment.put("LAMBDA_TASK_ROOT", function.codeDirectory().toString());
    environment.put("LAMBDA_RUNTIME_DIR", runtimeDirectory.toString());
    environment.put("TZ", ":UTC");
    environment.put("LANG", "en_US.UTF-8");
    environment.put("HOME", home.toString());
    environment.put(
        "PATH", binary.getParent() + File.pathSeparator + "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
    if (!function.isJava()) {
      environment.put(
          "NODE_PATH",
          String.join(
              File.pathSeparator,
              runtimes.nodeModules().toString(),
              nodeBootstrap.getParent().toString(),
              function.codeDirectory().toString()));
    }
    return environment;
  }

  /** Such as {@code 2026/01/31/[$LATEST]0123456789abcdef0123456789abcdef}. */
  private static String logStreamName() {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    return LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd"))
        + "/[$LATEST]"
        + HexFormat.of().formatHex(id);
  }
}
