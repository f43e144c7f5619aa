package com.valuationflow.infra.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A synthesized CDK cloud assembly ({@code cdk.out}) as a deployment reads it: its stacks in the
 * order they deploy, each with its CloudFormation template and the local files of its assets.
 */
public record CloudAssembly(Path directory, List<StackTemplate> stacks) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public CloudAssembly {
    Objects.requireNonNull(directory, "'directory' must not be null");
    stacks = List.copyOf(stacks);
  }

  /**
   * One stack of the assembly.
   *
   * @param name the stack name
   * @param template the CloudFormation template
   * @param assets each file asset's S3 object key, and the file or directory it was made from
   */
  public record StackTemplate(String name, JsonNode template, Map<String, Path> assets) {

    public StackTemplate {
      Objects.requireNonNull(name, "'name' must not be null");
      Objects.requireNonNull(template, "'template' must not be null");
      assets = Map.copyOf(assets);
    }

    /** The template's resources, in template order. */
    public Map<String, JsonNode> resources() {
      Map<String, JsonNode> resources = new LinkedHashMap<>();
      template
          .path("Resources")
          .fields()
          .forEachRemaining(e -> resources.put(e.getKey(), e.getValue()));
      return resources;
    }

    /** The file or directory an S3 object key of this stack's assets was made from. */
    public Optional<Path> asset(String objectKey) {
      return Optional.ofNullable(assets.get(objectKey));
    }
  }

  /**
   * Reads the assembly in {@code directory}, its stacks ordered so that each follows its
   * dependencies.
   */
  public static CloudAssembly read(Path directory) {
    JsonNode manifest = readJson(directory.resolve("manifest.json"));
    Map<String, JsonNode> artifacts = new LinkedHashMap<>();
    manifest
        .path("artifacts")
        .fields()
        .forEachRemaining(e -> artifacts.put(e.getKey(), e.getValue()));
    List<StackTemplate> stacks = new ArrayList<>();
    Map<String, Boolean> visited = new HashMap<>();
    for (String id : artifacts.keySet()) {
      addInOrder(id, artifacts, directory, stacks, visited);
    }
    return new CloudAssembly(directory, stacks);
  }

  private static void addInOrder(
      String id,
      Map<String, JsonNode> artifacts,
      Path directory,
      List<StackTemplate> stacks,
      Map<String, Boolean> visited) {
    JsonNode artifact = artifacts.get(id);
    if (artifact == null || visited.containsKey(id)) {
      if (Boolean.FALSE.equals(visited.get(id))) {
        throw new IllegalStateException("The stacks depend on each other in a cycle at " + id);
      }
      return;
    }
    visited.put(id, false);
    artifact
        .path("dependencies")
        .forEach(dep -> addInOrder(dep.asText(), artifacts, directory, stacks, visited));
    visited.put(id, true);
    if ("aws:cloudformation:stack".equals(artifact.path("type").asText())) {
      String name = artifact.path("properties").path("stackName").asText(id);
      JsonNode template =
          readJson(directory.resolve(artifact.path("properties").path("templateFile").asText()));
      Map<String, Path> assets = new HashMap<>();
      artifact
          .path("dependencies")
          .forEach(dep -> readAssets(artifacts.get(dep.asText()), directory, assets));
      stacks.add(new StackTemplate(name, template, assets));
    }
  }

  private static void readAssets(JsonNode artifact, Path directory, Map<String, Path> assets) {
    if (artifact == null || !"cdk:asset-manifest".equals(artifact.path("type").asText())) {
      return;
    }
    JsonNode manifest =
        readJson(directory.resolve(artifact.path("properties").path("file").asText()));
    manifest
        .path("files")
        .forEach(
            file -> {
              Path source = directory.resolve(file.path("source").path("path").asText());
              file.path("destinations")
                  .forEach(
                      destination -> assets.put(destination.path("objectKey").asText(), source));
            });
  }

  private static JsonNode readJson(Path file) {
    try {
      return MAPPER.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
  }
}
