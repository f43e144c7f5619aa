package com.valuationflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The app: both stacks, the loan processor asking the mock valuer, settings from the context. */
class InfraAppTest {

  private static LoanProcessorStack loanProcessor;
  private static Template template;

  @BeforeAll
  static void synthesize() {
    loanProcessor =
        InfraApp.build(app(Map.of("requestValuationFunctionJar", TestAssets.functionJar())));
    template = Template.fromStack(loanProcessor);
  }

  @Test
  void byDefaultTheLoanProcessorAsksTheMockValuer() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of(
                "Variables",
                Map.of(
                    "VALUER_URL",
                    Map.of(
                        "Fn::ImportValue",
                        Match.stringLikeRegexp(InfraApp.MOCK_VALUER_STACK + ":.*FunctionUrl.*")),
                    "CALLBACK_URL",
                    "http://localhost:8080/webhooks/valuations"))));
    assertThat(loanProcessor.getStackName()).isEqualTo(InfraApp.LOAN_PROCESSOR_STACK);
    assertThat(loanProcessor.getDependencies())
        .extracting(stack -> stack.getStackName())
        .containsExactly(InfraApp.MOCK_VALUER_STACK);
  }

  @Test
  void aDefaultedPublicUrlIsWarnedAbout() {
    Annotations.fromStack(loanProcessor)
        .hasWarning("*", Match.stringLikeRegexp(".*No publicBaseUrl in the CDK context.*"));
  }

  @Test
  void theContextSetsTheUrlsTimeoutAndRemovalPolicy() {
    LoanProcessorStack.Settings settings =
        LoanProcessorStack.Settings.fromContext(
            app(Map.of(
                    "publicBaseUrl", "https://loans.example/base/",
                    "valuerUrl", "https://valuer.example/v1",
                    "valuerTimeoutMs", "5000",
                    "removalPolicy", "destroy"))
                .getNode());

    assertThat(settings.callbackUrl()).isEqualTo("https://loans.example/base/webhooks/valuations");
    assertThat(settings.valuerUrl()).isEqualTo("https://valuer.example/v1");
    assertThat(settings.valuerTimeoutMillis()).isEqualTo(5000);
    assertThat(settings.removalPolicy()).isEqualTo(RemovalPolicy.DESTROY);
    assertThat(settings.publicBaseUrlDefaulted()).isFalse();
  }

  @Test
  void withoutContextTheSettingsAreTheAppsDefaults() {
    LoanProcessorStack.Settings settings =
        LoanProcessorStack.Settings.fromContext(app(Map.of()).getNode());

    assertThat(settings.callbackUrl()).isEqualTo("http://localhost:8080/webhooks/valuations");
    assertThat(settings.valuerUrl()).isEqualTo("http://localhost:8080/valuer/valuations");
    assertThat(settings.valuerTimeoutMillis()).isEqualTo(10_000);
    assertThat(settings.removalPolicy())
        .as("production data is kept unless told otherwise")
        .isEqualTo(RemovalPolicy.RETAIN);
    assertThat(settings.functionJar())
        .isEqualTo("../adapters-aws/target/request-valuation-function.jar");
    assertThat(settings.publicBaseUrlDefaulted()).isTrue();
  }

  @Test
  void invalidContextValuesAreRefusedNamingTheKey() {
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry("publicBaseUrl", "ftp://loans.example"),
            Map.entry("valuerTimeoutMs", "60000"),
            Map.entry("valuerTimeoutMs", "soon"),
            Map.entry("removalPolicy", "snapshot"))) {
      assertThatThrownBy(
              () ->
                  LoanProcessorStack.Settings.fromContext(
                      app(Map.of(bad.getKey(), bad.getValue())).getNode()))
          .as(bad.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.getKey());
    }
  }

  @Test
  void aMissingFunctionJarSaysHowToBuildIt() {
    assertThatThrownBy(
            () -> InfraApp.build(app(Map.of("requestValuationFunctionJar", "target/none.jar"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("./mvnw -DskipTests install");
  }

  private static App app(Map<String, Object> context) {
    return new App(AppProps.builder().context(context).build());
  }
}
