package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.infra.InfraApp;
import com.valuationflow.infra.local.template.CloudAssembly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * Synthesizes the project's CDK app, as {@code cdk synth} does, with the context a deployment would
 * be given: the same stacks, templates and assets that {@code cdk deploy} uploads.
 */
final class Synthesizer {

  private Synthesizer() {}

  /**
   * @param context the CDK context, as {@code -c key=value} gives it
   * @param outdir where the cloud assembly is written
   */
  static CloudAssembly synthesize(Map<String, String> context, Path outdir) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.putAll(projectContext(Path.of("cdk.json"), "context"));
    all.putAll(projectContext(Path.of("cdk.context.json"), null));
    all.putAll(context);
    App app =
        new App(
            AppProps.builder()
                .outdir(outdir.toString())
                .context(all)
                .analyticsReporting(false)
                .build());
    InfraApp.build(app);
    app.synth();
    return CloudAssembly.read(outdir);
  }

  /**
   * The context the CDK CLI gives the app besides {@code -c}: {@code cdk.json}'s {@code context}
   * and the cached {@code cdk.context.json}, when present in the working directory.
   */
  private static Map<String, Object> projectContext(Path file, String field) {
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    try {
      JsonNode json = new ObjectMapper().readTree(file.toFile());
      JsonNode context = field == null ? json : json.path(field);
      Map<String, Object> values = new LinkedHashMap<>();
      context
          .fields()
          .forEachRemaining(
              entry ->
                  values.put(
                      entry.getKey(),
                      entry.getValue().isTextual()
                          ? entry.getValue().asText()
                          : new ObjectMapper().convertValue(entry.getValue(), Object.class)));
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
  }
}
