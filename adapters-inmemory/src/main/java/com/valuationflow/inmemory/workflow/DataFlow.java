package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * ASL input and output processing: {@code InputPath}, {@code ResultPath} and {@code OutputPath}. A
 * null path is the JSON {@code null} value of the field: for InputPath and OutputPath it yields
 * {@code {}}, for ResultPath it discards the result and keeps the raw input.
 *
 * <p>Failures are {@code States.Runtime} errors, as in AWS Step Functions.
 */
final class DataFlow {

  private DataFlow() {}

  static JsonNode inputPath(JsonPath path, JsonNode rawInput, JsonNode context) {
    return select(path, rawInput, context);
  }

  static JsonNode outputPath(JsonPath path, JsonNode output, JsonNode context) {
    return select(path, output, context);
  }

  /** The raw input with the result placed at the path. */
  static JsonNode resultPath(JsonPath path, JsonNode rawInput, JsonNode result) {
    if (path == null) {
      return rawInput;
    }
    try {
      return path.set(rawInput, result);
    } catch (IllegalArgumentException e) {
      throw WorkflowError.runtime(
          "Unable to apply ReplacementPath '"
              + path.text()
              + "' to input '"
              + Json.write(rawInput)
              + "': "
              + e.getMessage());
    }
  }

  private static JsonNode select(JsonPath path, JsonNode data, JsonNode context) {
    if (path == null) {
      return Json.object();
    }
    return find(path, data, context)
        .orElseThrow(
            () ->
                WorkflowError.runtime(
                    "Invalid path '"
                        + path.text()
                        + "' : No results for path: "
                        + path.normalized()));
  }

  /**
   * The node a path selects from the data or, for {@code $$} paths, from the context object.
   *
   * @throws WorkflowError {@code States.Runtime} if the path uses unsupported syntax
   */
  static Optional<JsonNode> find(JsonPath path, JsonNode data, JsonNode context) {
    try {
      return path.find(path.isContext() ? context : data);
    } catch (UnsupportedOperationException e) {
      throw WorkflowError.runtime(e.getMessage());
    }
  }
}
