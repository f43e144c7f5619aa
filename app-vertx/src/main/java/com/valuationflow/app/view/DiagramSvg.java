package com.valuationflow.app.view;

import java.util.HashMap;
import java.util.Map;

/**
 * Draws a state machine as server-rendered SVG: one box per state, in rows by distance from the
 * start, each marked with its status by colour, border and words.
 */
final class DiagramSvg {

  private static final int WIDTH = 236;
  private static final int HEIGHT = 58;
  private static final int H_GAP = 24;
  private static final int V_GAP = 90;
  private static final int MARGIN = 20;
  private static final int START = 40;

  private DiagramSvg() {}

  private record Box(int x, int y) {
    int centreX() {
      return x + WIDTH / 2;
    }
  }

  static void render(Html html, StateMachineGraph graph, ExecutionProgress progress) {
    int width = graph.widestRow() * (WIDTH + H_GAP) - H_GAP + 2 * MARGIN;
    int height = START + graph.rowCount() * (HEIGHT + V_GAP) - V_GAP + 2 * MARGIN;
    Map<String, Box> boxes = new HashMap<>();
    for (StateMachineGraph.Node node : graph.nodes()) {
      int rowWidth = graph.rowWidth(node.row()) * (WIDTH + H_GAP) - H_GAP;
      int x = (width - rowWidth) / 2 + node.column() * (WIDTH + H_GAP);
      int y = MARGIN + START + node.row() * (HEIGHT + V_GAP);
      boxes.put(node.name(), new Box(x, y));
    }
    html.raw("<svg class=\"diagram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .text(width)
        .raw(" ")
        .text(height)
        .raw("\" width=\"")
        .text(width)
        .raw("\" role=\"img\" aria-label=\"The state machine, each state with its status\">")
        .raw("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\"")
        .raw(" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
        .raw("<path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"arrow-head\"/></marker></defs>");
    Box start = boxes.get(graph.startAt());
    if (start != null) {
      html.raw("<circle class=\"start\" cx=\"")
          .text(start.centreX())
          .raw("\" cy=\"")
          .text(MARGIN + 8)
          .raw("\" r=\"8\"><title>Start</title></circle>");
      line(html, start.centreX(), MARGIN + 16, start.centreX(), start.y(), "");
    }
    for (StateMachineGraph.Edge edge : graph.edges()) {
      Box from = boxes.get(edge.from());
      Box to = boxes.get(edge.to());
      if (from != null && to != null) {
        line(html, from.centreX(), from.y() + HEIGHT, to.centreX(), to.y(), edge.label());
      }
    }
    for (StateMachineGraph.Node node : graph.nodes()) {
      state(html, node, boxes.get(node.name()), progress.status(node.name()));
    }
    html.raw("</svg>");
  }

  private static void line(Html html, int x1, int y1, int x2, int y2, String label) {
    html.raw("<line class=\"transition\" x1=\"")
        .text(x1)
        .raw("\" y1=\"")
        .text(y1)
        .raw("\" x2=\"")
        .text(x2)
        .raw("\" y2=\"")
        .text(y2)
        .raw("\" marker-end=\"url(#arrow)\"/>");
    if (!label.isEmpty()) {
      int x = x1 + (x2 - x1) * 2 / 3;
      int y = y1 + (y2 - y1) * 2 / 3;
      html.raw("<text class=\"transition-label\" x=\"")
          .text(x)
          .raw("\" y=\"")
          .text(y)
          .raw("\" text-anchor=\"middle\">")
          .text(label)
          .raw("</text>");
    }
  }

  private static void state(Html html, StateMachineGraph.Node node, Box box, StateStatus status) {
    html.raw("<g class=\"state state-")
        .text(status.cssClass())
        .raw("\" data-state=\"")
        .text(node.name())
        .raw("\" data-status=\"")
        .text(status.label())
        .raw("\"><title>")
        .text(node.name() + " (" + node.type() + "): " + status.label())
        .raw("</title><rect x=\"")
        .text(box.x())
        .raw("\" y=\"")
        .text(box.y())
        .raw("\" width=\"")
        .text(WIDTH)
        .raw("\" height=\"")
        .text(HEIGHT)
        .raw("\" rx=\"")
        .text(node.type().equals("Task") ? 8 : 26)
        .raw("\"/><text class=\"state-name\" x=\"")
        .text(box.centreX())
        .raw("\" y=\"")
        .text(box.y() + 24)
        .raw("\" text-anchor=\"middle\">")
        .text(node.name())
        .raw("</text><text class=\"state-status\" x=\"")
        .text(box.centreX())
        .raw("\" y=\"")
        .text(box.y() + 45)
        .raw("\" text-anchor=\"middle\">")
        .text(symbol(status) + " " + status.label())
        .raw("</text></g>");
  }

  private static String symbol(StateStatus status) {
    return switch (status) {
      case NOT_REACHED -> "\u25CB";
      case RUNNING -> "\u25B6";
      case WAITING -> "\u25F7";
      case SUCCEEDED -> "\u2713";
      case FAILED, TIMED_OUT, ABORTED -> "\u2715";
    };
  }
}
