package com.valuationflow.inmemory.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The loan processor's ASL definition, {@value #RESOURCE}: the same document the cloud stack
 * deploys, with {@value #REQUEST_VALUATION_FUNCTION} standing for the RequestValuation function,
 * substituted at deployment as CloudFormation's definition substitutions do.
 */
public final class LoanProcessorDefinition {

  /** The classpath resource holding the definition. */
  public static final String RESOURCE = "/com/valuationflow/inmemory/loan-processor.asl.json";

  /** The placeholder for the RequestValuation function's name or ARN. */
  public static final String REQUEST_VALUATION_FUNCTION = "${RequestValuationFunctionArn}";

  private LoanProcessorDefinition() {}

  /** The definition as stored, placeholder included. */
  public static String load() {
    try (InputStream in = LoanProcessorDefinition.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing classpath resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + RESOURCE, e);
    }
  }

  /**
   * The definition with the placeholder replaced by a function name, under which the
   * RequestValuation handler is then {@linkplain WorkflowEngine#registerFunction registered}.
   *
   * @param functionName letters, digits, {@code -}, {@code _} and {@code :} only, as Lambda
   *     function names and ARNs have
   */
  public static String load(String functionName) {
    Objects.requireNonNull(functionName, "'functionName' must not be null");
    if (!functionName.matches("[A-Za-z0-9_:.-]{1,170}")) {
      throw new IllegalArgumentException(
          "'functionName' must be a Lambda function name or ARN, was '" + functionName + "'");
    }
    return load().replace(REQUEST_VALUATION_FUNCTION, functionName);
  }
}
