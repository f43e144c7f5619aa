package com.valuationflow.domain.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The JSON document a waiting task completes with. At most 262,144 bytes of UTF-8, the limit Step
 * Functions sets on {@code SendTaskSuccess} output.
 */
public record TaskOutput(String json) implements TaskAnswer {

  public static final int MAX_BYTES = 262_144;

  public TaskOutput {
    Objects.requireNonNull(json, "'json' must not be null");
    if (json.isBlank()) {
      throw new InvalidValueException("json", "'json' must not be blank");
    }
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new InvalidValueException(
          "json", "task output must be at most " + MAX_BYTES + " bytes, was " + bytes);
    }
  }
}
