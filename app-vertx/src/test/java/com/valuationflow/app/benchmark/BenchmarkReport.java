package com.valuationflow.app.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's figures as text: one line per step, one row per scenario side by side. */
public final class BenchmarkReport {

  /**
   * One scenario of one run: its steps, the app's heap after a full GC when it ended, and the app's
   * CPU time per second at rest before the run's scenarios (microseconds; NaN if not measured).
   */
  public record Scenario(
      String name, List<OpenLoad.Step> steps, long heapAfterGcBytes, double appCpuAtRest) {

    /**
     * The app's CPU per operation at the {@linkplain #sustained sustained} step less its share of
     * the CPU the app spends at rest: what one more operation costs. NaN if rest was not measured.
     */
    public double appCpuBeyondRestMicros() {
      OpenLoad.Step at = sustained();
      return at.achieved() > 0
          ? Math.max(0, at.appCpuMicros() - appCpuAtRest / at.achieved())
          : Double.NaN;
    }

    /** The most operations per second any step achieved: the scenario's capacity. */
    public double capacity() {
      return steps.stream().mapToDouble(OpenLoad.Step::achieved).max().orElse(0);
    }

    /** The highest step the app kept up with (or the first, if none): where latency is quoted. */
    public OpenLoad.Step sustained() {
      return steps.stream()
          .filter(OpenLoad.Step::keptUp)
          .max(Comparator.comparingDouble(OpenLoad.Step::offered))
          .orElse(steps.get(0));
    }
  }

  private BenchmarkReport() {}

  /** One step's figures on one line. */
  public static String stepLine(OpenLoad.Step step) {
    return String.format(
        Locale.ROOT,
        "%-22s offered %8.0f/s achieved %8.0f/s failed %6d  p50 %8.2f ms p99 %8.2f ms p99.9 %8.2f"
            + " ms  cpu/op app %6.0f us client %6.0f us%s",
        step.scenario(),
        step.offered(),
        step.achieved(),
        step.failed(),
        step.percentileMillis(50),
        step.percentileMillis(99),
        step.percentileMillis(99.9),
        step.appCpuMicros(),
        step.clientCpuMicros(),
        step.keptUp() ? "" : "  (not kept up)");
  }

  /** A run's title: its number, what ran in it (if anything is named), the load average now. */
  public static String runTitle(int run, int runs, String variant) {
    return "Run "
        + run
        + " of "
        + runs
        + (variant.isEmpty() ? "" : ", " + variant)
        + " (load average "
        + loadAverage()
        + ")";
  }

  /** Every step of every scenario of a run, in order: what the latency plot draws. */
  public static List<OpenLoad.Step> allSteps(List<Scenario> scenarios) {
    return scenarios.stream().flatMap(scenario -> scenario.steps().stream()).toList();
  }

  /** The side-by-side table of one run, and the ratio of full flows to the ceiling. */
  public static String table(String title, List<Scenario> scenarios) {
    StringBuilder text = new StringBuilder();
    text.append(title).append('\n');
    text.append(
        String.format(
            Locale.ROOT,
            "| %-22s | %11s | %9s | %8s | %8s | %8s | %11s | %18s | %14s | %10s |%n",
            "scenario",
            "capacity/s",
            "at rate/s",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "app CPU/op",
            "app beyond rest/op",
            "client CPU/op",
            "heap (GC)"));
    text.append("|").append("---|".repeat(10)).append('\n');
    for (Scenario scenario : scenarios) {
      OpenLoad.Step at = scenario.sustained();
      text.append(
          String.format(
              Locale.ROOT,
              "| %-22s | %11.0f | %9.0f | %8.2f | %8.2f | %8.2f | %8.0f us | %15.0f us | %11.0f us |"
                  + " %6.1f MiB |%n",
              scenario.name(),
              scenario.capacity(),
              at.offered(),
              at.percentileMillis(50),
              at.percentileMillis(99),
              at.percentileMillis(99.9),
              at.appCpuMicros(),
              scenario.appCpuBeyondRestMicros(),
              at.clientCpuMicros(),
              scenario.heapAfterGcBytes() / 1048576.0));
    }
    return text.toString();
  }

  /** Capacity of one scenario divided by another's, e.g. flows/s over ceiling req/s. */
  public static double ratio(List<Scenario> run, String numerator, String denominator) {
    Map<String, Double> capacity = new LinkedHashMap<>();
    run.forEach(scenario -> capacity.put(scenario.name(), scenario.capacity()));
    return capacity.getOrDefault(numerator, 0.0) / capacity.getOrDefault(denominator, 1.0);
  }

  /** App CPU per operation of one scenario's sustained step divided by another's. */
  public static double cpuRatio(List<Scenario> run, String numerator, String denominator) {
    Map<String, Double> cpu = new LinkedHashMap<>();
    run.forEach(scenario -> cpu.put(scenario.name(), scenario.sustained().appCpuMicros()));
    return cpu.getOrDefault(numerator, 0.0) / cpu.getOrDefault(denominator, 1.0);
  }

  /** The median of the values that are numbers; NaN if none is. */
  public static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values.stream().filter(v -> !v.isNaN()).toList());
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** This machine's load average over 1, 5 and 15 minutes ({@code /proc/loadavg}). */
  public static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
