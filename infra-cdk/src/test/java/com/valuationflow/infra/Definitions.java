package com.valuationflow.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/**
 * Turns a synthesized {@code DefinitionString} back into ASL: the parts of its {@code Fn::Join} are
 * joined, {@code Ref AWS::Partition} becomes {@code aws} and each {@code Fn::GetAtt [id, Arn]} the
 * placeholder given for that logical ID. Any other token fails.
 */
final class Definitions {

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Where the tests leave the definitions for asl-validator, which the build runs at verify. */
  static final Path ASL_DIRECTORY = Path.of("target", "asl");

  private Definitions() {}

  /** The DefinitionString of the template's only state machine. */
  static Object definitionString(Template template) {
    Map<String, Map<String, Object>> machines =
        template.findResources("AWS::StepFunctions::StateMachine");
    if (machines.size() != 1) {
      throw new IllegalArgumentException("Expected one state machine, found " + machines.keySet());
    }
    Map<?, ?> properties = (Map<?, ?>) machines.values().iterator().next().get("Properties");
    return properties.get("DefinitionString");
  }

  /** The definition as ASL text, tokens replaced. */
  static String asl(Object definitionString, Map<String, String> arnPlaceholders) {
    if (definitionString instanceof String) {
      return (String) definitionString;
    }
    List<?> join = (List<?>) ((Map<?, ?>) definitionString).get("Fn::Join");
    if (join == null || !"".equals(join.get(0))) {
      throw new IllegalArgumentException("Not an Fn::Join with an empty delimiter: " + join);
    }
    StringBuilder asl = new StringBuilder();
    for (Object part : (List<?>) join.get(1)) {
      asl.append(
          part instanceof String ? (String) part : resolve((Map<?, ?>) part, arnPlaceholders));
    }
    return asl.toString();
  }

  private static String resolve(Map<?, ?> token, Map<String, String> arnPlaceholders) {
    Object ref = token.get("Ref");
    if ("AWS::Partition".equals(ref)) {
      return "aws";
    }
    if (ref instanceof String && arnPlaceholders.containsKey(ref)) {
      return arnPlaceholders.get(ref); // an alias's or version's Ref is its ARN
    }
    Object getAtt = token.get("Fn::GetAtt");
    if (getAtt instanceof List
        && ((List<?>) getAtt).size() == 2
        && "Arn".equals(((List<?>) getAtt).get(1))) {
      String placeholder = arnPlaceholders.get((String) ((List<?>) getAtt).get(0));
      if (placeholder != null) {
        return placeholder;
      }
    }
    throw new IllegalArgumentException("Unexpected token in the definition: " + token);
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the definition to {@code target/asl/<fileName>}, pretty-printed. */
  static void writeForValidation(String fileName, String asl) {
    try {
      Files.createDirectories(ASL_DIRECTORY);
      Files.writeString(
          ASL_DIRECTORY.resolve(fileName),
          MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json(asl)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
