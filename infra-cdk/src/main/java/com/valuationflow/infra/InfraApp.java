package com.valuationflow.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: the mock valuer and the loan processor, which requests its valuations from the mock
 * valuer unless the {@code valuerUrl} context names another. Run by {@code cdk synth|deploy} from
 * this module's directory; see {@link LoanProcessorStack.Settings#fromContext} for the context.
 */
public final class InfraApp {

  public static final String MOCK_VALUER_STACK = "ValuationFlow-MockValuer";
  public static final String LOAN_PROCESSOR_STACK = "ValuationFlow-LoanProcessor";

  private InfraApp() {}

  public static void main(String[] args) {
    App app = new App();
    build(app);
    app.synth();
  }

  /** Adds both stacks to the app; returns the loan processor's. */
  public static LoanProcessorStack build(App app) {
    MockValuerStack mockValuer =
        new MockValuerStack(
            app,
            MOCK_VALUER_STACK,
            props("ValuationFlow: a mock property valuer that calls back after a delay"));
    LoanProcessorStack.Settings settings = LoanProcessorStack.Settings.fromContext(app.getNode());
    if (LoanProcessorStack.Settings.context(app.getNode(), "valuerUrl") == null) {
      settings = settings.withValuerUrl(mockValuer.valuerUrl());
    }
    return new LoanProcessorStack(
        app,
        LOAN_PROCESSOR_STACK,
        props("ValuationFlow: a mortgage loan processor that waits for property valuations"),
        settings);
  }

  /** The account and region the CDK CLI resolved from the AWS profile, if any. */
  private static StackProps props(String description) {
    return StackProps.builder()
        .env(
            Environment.builder()
                .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                .region(System.getenv("CDK_DEFAULT_REGION"))
                .build())
        .description(description)
        .build();
  }
}
