package com.valuationflow.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.StackProps;

/** Settings and a stand-in function jar, so the stacks synthesize without the real build. */
final class TestAssets {

  static final String VALUER_URL = "https://valuer.example/valuations";
  static final String PUBLIC_BASE_URL = "https://loans.example";

  private TestAssets() {}

  /** A small jar in {@code target}, standing in for the RequestValuation function's package. */
  static synchronized String functionJar() {
    Path jar = Path.of("target", "test-assets", "request-valuation-function.jar");
    if (!Files.isRegularFile(jar)) {
      try {
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar);
            ZipOutputStream zip = new ZipOutputStream(out)) {
          zip.putNextEntry(new ZipEntry("README.txt"));
          zip.write("stand-in for the function jar".getBytes(StandardCharsets.UTF_8));
          zip.closeEntry();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return jar.toString();
  }

  static LoanProcessorStack.Settings settings() {
    return new LoanProcessorStack.Settings(
        VALUER_URL, PUBLIC_BASE_URL, false, 10_000, RemovalPolicy.RETAIN, functionJar());
  }

  static LoanProcessorStack loanProcessorStack() {
    return new LoanProcessorStack(
        new App(), "LoanProcessor", StackProps.builder().build(), settings());
  }
}
