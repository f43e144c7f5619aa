package com.valuationflow.app.benchmark;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws latency (p50 solid, p99 dashed) against offered load, both axes logarithmic, one colour per
 * scenario, as a PNG (Java2D, headless).
 */
public final class LatencyPlot {

  private static final int WIDTH = 1000;
  private static final int HEIGHT = 620;
  private static final int LEFT = 80;
  private static final int RIGHT = 200;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  private static final Color[] COLOURS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
  };

  private LatencyPlot() {}

  /** Draws the steps, one line per scenario in the order they come, into this PNG file. */
  public static void write(String title, List<OpenLoad.Step> steps, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, List<OpenLoad.Step>> byScenario = new LinkedHashMap<>();
    steps.forEach(
        step ->
            byScenario
                .computeIfAbsent(step.scenario(), s -> new java.util.ArrayList<>())
                .add(step));
    double minX = decadeBelow(steps.stream().mapToDouble(OpenLoad.Step::offered).min().orElse(1));
    double maxX = decadeAbove(steps.stream().mapToDouble(OpenLoad.Step::offered).max().orElse(10));
    double minY = 0.1;
    double maxY =
        decadeAbove(
            Math.max(
                10,
                steps.stream()
                    .mapToDouble(step -> step.percentileMillis(99))
                    .filter(v -> !Double.isNaN(v))
                    .max()
                    .orElse(10)));
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    Axes axes = new Axes(minX, maxX, minY, maxY);
    drawGrid(g, axes);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString(title, LEFT, 30);
    int index = 0;
    for (Map.Entry<String, List<OpenLoad.Step>> scenario : byScenario.entrySet()) {
      Color colour = COLOURS[index % COLOURS.length];
      drawLine(g, axes, scenario.getValue(), 50, colour, false);
      drawLine(g, axes, scenario.getValue(), 99, colour, true);
      int legendY = TOP + 20 + index * 40;
      g.setColor(colour);
      g.setStroke(new BasicStroke(2));
      g.drawLine(WIDTH - RIGHT + 15, legendY, WIDTH - RIGHT + 45, legendY);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.drawString(scenario.getKey(), WIDTH - RIGHT + 50, legendY + 5);
      index++;
    }
    g.setColor(Color.DARK_GRAY);
    g.drawString("solid: p50, dashed: p99", WIDTH - RIGHT + 15, TOP + 20 + index * 40);
    g.dispose();
    Files.createDirectories(png.getParent());
    ImageIO.write(image, "png", png.toFile());
  }

  private record Axes(double minX, double maxX, double minY, double maxY) {
    double x(double value) {
      return LEFT
          + (Math.log10(value) - Math.log10(minX))
              / (Math.log10(maxX) - Math.log10(minX))
              * (WIDTH - LEFT - RIGHT);
    }

    double y(double value) {
      double clamped = Math.max(minY, Math.min(maxY, value));
      return HEIGHT
          - BOTTOM
          - (Math.log10(clamped) - Math.log10(minY))
              / (Math.log10(maxY) - Math.log10(minY))
              * (HEIGHT - TOP - BOTTOM);
    }
  }

  private static void drawGrid(Graphics2D g, Axes axes) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double x = axes.minX(); x <= axes.maxX() * 1.001; x *= 10) {
      for (int m = 1; m < 10 && x * m <= axes.maxX() * 1.001; m++) {
        int px = (int) axes.x(x * m);
        g.setColor(m == 1 ? Color.LIGHT_GRAY : new Color(0xeeeeee));
        g.drawLine(px, TOP, px, HEIGHT - BOTTOM);
        if (m == 1 || m == 2 || m == 5) {
          g.setColor(Color.BLACK);
          g.drawString(label(x * m), px - 12, HEIGHT - BOTTOM + 18);
        }
      }
    }
    for (double y = axes.minY(); y <= axes.maxY() * 1.001; y *= 10) {
      int py = (int) axes.y(y);
      g.setColor(Color.LIGHT_GRAY);
      g.drawLine(LEFT, py, WIDTH - RIGHT, py);
      g.setColor(Color.BLACK);
      g.drawString(label(y) + " ms", 10, py + 4);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    g.drawString("offered load (requests or flows per second)", LEFT + 200, HEIGHT - BOTTOM + 42);
  }

  private static void drawLine(
      Graphics2D g,
      Axes axes,
      List<OpenLoad.Step> steps,
      double percentile,
      Color colour,
      boolean dashed) {
    Path2D.Double path = new Path2D.Double();
    boolean first = true;
    for (OpenLoad.Step step : steps) {
      double value = step.percentileMillis(percentile);
      if (Double.isNaN(value)) {
        continue;
      }
      double px = axes.x(step.offered());
      double py = axes.y(value);
      if (first) {
        path.moveTo(px, py);
        first = false;
      } else {
        path.lineTo(px, py);
      }
      g.setColor(colour);
      g.fillOval((int) px - 3, (int) py - 3, 6, 6);
    }
    g.setColor(colour);
    g.setStroke(
        dashed
            ? new BasicStroke(
                2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {8, 6}, 0)
            : new BasicStroke(2));
    g.draw(path);
    g.setStroke(new BasicStroke(1));
  }

  private static String label(double value) {
    if (value >= 1000) {
      return String.format("%.0fk", value / 1000);
    }
    return value >= 1 ? String.format("%.0f", value) : String.format("%.1f", value);
  }

  private static double decadeBelow(double value) {
    return Math.pow(10, Math.floor(Math.log10(Math.max(value, 1e-3))));
  }

  private static double decadeAbove(double value) {
    return Math.pow(10, Math.ceil(Math.log10(Math.max(value, 1e-3))));
  }
}
