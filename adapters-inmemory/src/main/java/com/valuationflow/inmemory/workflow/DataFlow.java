package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * ASL input and output processing: {@code InputPath}, {@code ResultPath} and {@code OutputPath}. A
 * null path is the JSON {@code null} value of the field: for InputPath and OutputPath it yields
 * {@code {}}, for ResultPath it discards the result and keeps the raw input.
 *
 * <p>A path that selects nothing is a {@code States.Runtime} error; a ResultPath that cannot place
 * the result is {@code States.ResultPathMatchFailure}, as in AWS Step Functions.
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
      throw new WorkflowError(
          StatesErrors.RESULT_PATH_MATCH_FAILURE,
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
                        + "' : "
                        + path.whyNotFound(path.isContext() ? context : data)));
  }

  /** The node a path selects from the data or, for {@code $$} paths, from the context object. */
  static Optional<JsonNode> find(JsonPath path, JsonNode data, JsonNode context) {
    return path.find(path.isContext() ? context : data);
  }
}
