package com.valuationflow.infra.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** The JSON of the local Lambda. */
final class LambdaJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private LambdaJson() {}

  /** A flat object of string members in the order given: name, value, name, value... */
  static byte[] object(String... namesAndValues) {
    ObjectNode object = MAPPER.createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      object.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return object.toString().getBytes(StandardCharsets.UTF_8);
  }
}
