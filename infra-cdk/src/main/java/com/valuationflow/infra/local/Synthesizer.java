package com.valuationflow.infra.local;

import com.valuationflow.infra.InfraApp;
import com.valuationflow.infra.local.template.CloudAssembly;
import java.nio.file.Path;
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
    App app =
        new App(
            AppProps.builder()
                .outdir(outdir.toString())
                .context(Map.copyOf(context))
                .analyticsReporting(false)
                .build());
    InfraApp.build(app);
    app.synth();
    return CloudAssembly.read(outdir);
  }
}
