package com.valuationflow.infra.local.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The programs and libraries the local Lambda runs functions with, as Lambda's managed runtimes
 * provide them: the build puts them in {@code target/lambda-runtimes} ({@code java/lib}, {@code
 * java/jni}, {@code node/node_modules}).
 *
 * @param javaBinary the {@code java} of Java functions
 * @param javaClasspath the runtime interface client and its dependencies ({@code /var/runtime/lib})
 * @param javaNativeLibrary the client's JNI library for this platform
 * @param nodeBinary the {@code node} of Node.js functions
 * @param nodeModules the AWS SDK for JavaScript v3 ({@code /var/runtime/node_modules})
 */
public record LambdaRuntimes(
    Path javaBinary,
    List<Path> javaClasspath,
    Path javaNativeLibrary,
    Path nodeBinary,
    Path nodeModules) {

  /** System property naming the directory the build put the runtimes in. */
  public static final String DIRECTORY_PROPERTY = "valuationflow.lambda.runtimes";

  public LambdaRuntimes {
    Objects.requireNonNull(javaBinary, "'javaBinary' must not be null");
    Objects.requireNonNull(javaClasspath, "'javaClasspath' must not be null");
    Objects.requireNonNull(javaNativeLibrary, "'javaNativeLibrary' must not be null");
    Objects.requireNonNull(nodeBinary, "'nodeBinary' must not be null");
    Objects.requireNonNull(nodeModules, "'nodeModules' must not be null");
    javaClasspath = List.copyOf(javaClasspath);
    requireFile(javaBinary, "javaBinary");
    requireFile(javaNativeLibrary, "javaNativeLibrary");
    requireFile(nodeBinary, "nodeBinary");
    if (javaClasspath.isEmpty()) {
      throw new IllegalArgumentException("'javaClasspath' must not be empty");
    }
    javaClasspath.forEach(jar -> requireFile(jar, "javaClasspath"));
    if (!Files.isDirectory(nodeModules)) {
      throw new IllegalArgumentException("'nodeModules' is not a directory: " + nodeModules);
    }
  }

  /**
   * The runtimes of this build: in the directory the {@value #DIRECTORY_PROPERTY} system property
   * names, else in {@code target/lambda-runtimes} or {@code infra-cdk/target/lambda-runtimes}; with
   * this JVM's {@code java} and the {@code node} on the {@code PATH}.
   *
   * @throws IllegalStateException if the build has not made them
   */
  public static LambdaRuntimes locate() {
    String configured = System.getProperty(DIRECTORY_PROPERTY);
    List<Path> candidates =
        configured != null
            ? List.of(Path.of(configured))
            : List.of(
                Path.of("target", "lambda-runtimes"),
                Path.of("infra-cdk", "target", "lambda-runtimes"));
    return candidates.stream()
        .filter(directory -> Files.isDirectory(directory.resolve("java").resolve("lib")))
        .findFirst()
        .map(LambdaRuntimes::in)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "No Lambda runtimes in "
                        + candidates
                        + ": build infra-cdk (mvn generate-resources) first"));
  }

  /** The runtimes in a directory laid out as the build lays it out. */
  public static LambdaRuntimes in(Path directory) {
    Path java = directory.toAbsolutePath().normalize().resolve("java");
    return new LambdaRuntimes(
        currentJava(),
        jars(java.resolve("lib")),
        java.resolve("jni").resolve(nativeLibraryName()),
        onPath("node"),
        java.resolveSibling("node").resolve("node_modules"));
  }

  private static Path currentJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .map(Path::of)
        .filter(Files::isExecutable)
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  private static List<Path> jars(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + directory, e);
    }
  }

  /** The library the client would pick itself, as {@code JniHelper} names them. */
  private static String nativeLibraryName() {
    String arch = System.getProperty("os.arch");
    String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
    boolean musl =
        Files.exists(Path.of("/lib/ld-musl-x86_64.so.1"))
            || Files.exists(Path.of("/lib/ld-musl-aarch64.so.1"));
    return "libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + cpu + ".so";
  }

  private static Path onPath(String program) {
    String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin");
    for (String directory : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(directory).resolve(program);
      if (Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new IllegalStateException("No " + program + " on the PATH: " + path);
  }

  private static void requireFile(Path file, String name) {
    Objects.requireNonNull(file, "'" + name + "' must not hold null");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("'" + name + "' is not a file: " + file);
    }
  }
}
