package com.valuationflow.app.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The states of an Amazon States Language definition and the transitions between them, laid out in
 * rows by their distance from the start state: what the view draws.
 */
record StateMachineGraph(String startAt, List<Node> nodes, List<Edge> edges) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * A state.
   *
   * @param row its distance from the start state (unreachable states come last)
   * @param column its place in its row
   */
  record Node(
      String name,
      String type,
      String resource,
      Optional<Integer> timeoutSeconds,
      Optional<String> timeoutSecondsPath,
      int row,
      int column) {

    boolean waitsForCallback() {
      return resource.endsWith(".waitForTaskToken");
    }

    boolean isFail() {
      return type.equals("Fail");
    }

    boolean isSucceed() {
      return type.equals("Succeed");
    }
  }

  /** A transition; {@code label} names a catcher's errors, empty for {@code Next}. */
  record Edge(String from, String to, String label) {}

  static StateMachineGraph parse(String definitionJson) {
    JsonNode root;
    try {
      root = MAPPER.readTree(definitionJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("The state machine definition is not JSON", e);
    }
    String startAt = root.path("StartAt").asText();
    JsonNode states = root.path("States");
    List<Edge> edges = new ArrayList<>();
    states
        .fields()
        .forEachRemaining(state -> edges.addAll(edgesOf(state.getKey(), state.getValue())));
    Map<String, Integer> rows = rows(startAt, states, edges);
    Map<Integer, Integer> columns = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    states
        .fields()
        .forEachRemaining(
            state -> {
              JsonNode value = state.getValue();
              int row = rows.get(state.getKey());
              int column = columns.merge(row, 1, Integer::sum) - 1;
              nodes.add(
                  new Node(
                      state.getKey(),
                      value.path("Type").asText("?"),
                      value.path("Resource").asText(""),
                      value.path("TimeoutSeconds").isInt()
                          ? Optional.of(value.path("TimeoutSeconds").asInt())
                          : Optional.empty(),
                      value.path("TimeoutSecondsPath").isTextual()
                          ? Optional.of(value.path("TimeoutSecondsPath").asText())
                          : Optional.empty(),
                      row,
                      column));
            });
    return new StateMachineGraph(startAt, nodes, edges);
  }

  private static List<Edge> edgesOf(String name, JsonNode state) {
    List<Edge> edges = new ArrayList<>();
    if (state.path("Next").isTextual()) {
      edges.add(new Edge(name, state.path("Next").asText(), ""));
    }
    for (JsonNode choice : state.path("Choices")) {
      edges.add(new Edge(name, choice.path("Next").asText(), "choice"));
    }
    if (state.path("Default").isTextual()) {
      edges.add(new Edge(name, state.path("Default").asText(), "default"));
    }
    for (JsonNode catcher : state.path("Catch")) {
      List<String> errors = new ArrayList<>();
      catcher.path("ErrorEquals").forEach(error -> errors.add(error.asText()));
      edges.add(new Edge(name, catcher.path("Next").asText(), String.join(", ", errors)));
    }
    return edges;
  }

  private static Map<String, Integer> rows(String startAt, JsonNode states, List<Edge> edges) {
    Map<String, Integer> rows = new LinkedHashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    if (states.has(startAt)) {
      rows.put(startAt, 0);
      queue.add(startAt);
    }
    while (!queue.isEmpty()) {
      String from = queue.poll();
      for (Edge edge : edges) {
        if (edge.from().equals(from) && states.has(edge.to()) && !rows.containsKey(edge.to())) {
          rows.put(edge.to(), rows.get(from) + 1);
          queue.add(edge.to());
        }
      }
    }
    int unreachable = rows.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    states.fieldNames().forEachRemaining(name -> rows.putIfAbsent(name, unreachable));
    return rows;
  }

  Optional<Node> node(String name) {
    return nodes.stream().filter(node -> node.name().equals(name)).findFirst();
  }

  int rowCount() {
    return nodes.stream().mapToInt(Node::row).max().orElse(0) + 1;
  }

  int widestRow() {
    Map<Integer, Integer> widths = new LinkedHashMap<>();
    nodes.forEach(node -> widths.merge(node.row(), 1, Integer::sum));
    return widths.values().stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  int rowWidth(int row) {
    return (int) nodes.stream().filter(node -> node.row() == row).count();
  }
}
