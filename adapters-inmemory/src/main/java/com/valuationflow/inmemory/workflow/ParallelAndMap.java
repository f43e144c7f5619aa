package com.valuationflow.inmemory.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.inmemory.workflow.Execution.Frame;
import com.valuationflow.inmemory.workflow.Execution.Next;
import com.valuationflow.inmemory.workflow.Execution.Visit;
import com.valuationflow.inmemory.workflow.State.Transition;
import java.util.ArrayList;
import java.util.List;

/**
 * Parallel and inline Map states of one {@link Execution}: each branch or iteration runs in a child
 * {@link Frame}, started in order up to the Map's concurrency; a child that fails aborts its
 * siblings, and its error (or, past a Map's tolerated failures, {@code
 * States.ExceedToleratedFailureThreshold}) becomes the state's, for its Retry and Catch. Runs with
 * the execution's monitor held, as the execution does.
 */
final class ParallelAndMap {

  private static final String THRESHOLD_EXCEEDED =
      "The specified tolerated failure threshold was exceeded";

  private final Execution execution;

  ParallelAndMap(Execution execution) {
    this.execution = execution;
  }

  /** A running Parallel or Map state: its child frames, and their results. */
  static final class Block {
    final Visit visit;
    final JsonNode effectiveInput;
    final JsonNode items;
    final int total;
    final int maxConcurrency;
    final Integer toleratedCount;
    final Double toleratedPercentage;
    final JsonNode[] results;
    final List<Frame> children = new ArrayList<>();
    int started;
    int running;
    int failures;
    boolean closed;
    boolean launching;

    Block(
        Visit visit,
        JsonNode effectiveInput,
        JsonNode items,
        int total,
        int maxConcurrency,
        Integer toleratedCount,
        Double toleratedPercentage) {
      this.visit = visit;
      this.effectiveInput = effectiveInput;
      this.items = items;
      this.total = total;
      this.maxConcurrency = maxConcurrency;
      this.toleratedCount = toleratedCount;
      this.toleratedPercentage = toleratedPercentage;
      this.results = new JsonNode[total];
    }

    boolean isMap() {
      return visit.state instanceof State.MapState;
    }

    boolean exceedsTolerance() {
      if (toleratedCount == null && toleratedPercentage == null) {
        return failures > 0;
      }
      boolean overCount = toleratedCount != null && failures > toleratedCount;
      boolean overPercentage =
          toleratedPercentage != null && failures * 100.0 / total > toleratedPercentage;
      if (toleratedCount != null && toleratedPercentage != null) {
        return overCount && overPercentage;
      }
      return overCount || overPercentage;
    }
  }

  Next startParallel(Visit visit) {
    State.Parallel parallel = (State.Parallel) visit.state;
    Frame frame = visit.frame;
    JsonNode context = execution.context(visit, null);
    JsonNode effective = DataFlow.inputPath(parallel.inputPath(), visit.input, context);
    if (parallel.parameters() != null) {
      effective = PayloadTemplate.resolve(parallel.parameters(), effective, context);
    }
    execution.record("ParallelStateStarted", execution.details());
    visit.blockStarted = true;
    int branches = parallel.branches().size();
    Block block = new Block(visit, effective, null, branches, 0, null, null);
    frame.activeBlock = block;
    launch(block);
    return null;
  }

  Next startMap(Visit visit) {
    State.MapState map = (State.MapState) visit.state;
    Frame frame = visit.frame;
    JsonNode context = execution.context(visit, null);
    JsonNode effective = DataFlow.inputPath(map.inputPath(), visit.input, context);
    JsonNode items = effective;
    if (map.itemsPath() != null) {
      JsonPath itemsPath = map.itemsPath();
      items =
          DataFlow.find(itemsPath, effective, context)
              .orElseThrow(
                  () ->
                      WorkflowError.runtime(
                          "Invalid path '"
                              + itemsPath.text()
                              + "' : "
                              + itemsPath.whyNotFound(
                                  itemsPath.isContext() ? context : effective)));
    }
    if (!items.isArray()) {
      throw WorkflowError.runtime("Map state input must be an array but was: " + Json.write(items));
    }
    int maxConcurrency =
        map.maxConcurrencyPath() == null
            ? (map.maxConcurrency() == null ? 0 : map.maxConcurrency())
            : nonNegativeInteger(
                map.maxConcurrencyPath(), effective, context, "MaxConcurrencyPath");
    Integer toleratedCount =
        map.toleratedFailureCountPath() == null
            ? map.toleratedFailureCount()
            : Integer.valueOf(
                nonNegativeInteger(
                    map.toleratedFailureCountPath(),
                    effective,
                    context,
                    "ToleratedFailureCountPath"));
    Double toleratedPercentage = map.toleratedFailurePercentage();
    if (map.toleratedFailurePercentagePath() != null) {
      JsonNode value =
          execution.resolveReference(
              map.toleratedFailurePercentagePath(),
              effective,
              context,
              "ToleratedFailurePercentagePath");
      if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 100) {
        throw WorkflowError.runtime("ToleratedFailurePercentage must be between 0 and 100.");
      }
      toleratedPercentage = value.doubleValue();
    }
    execution.record(
        "MapStateStarted", execution.details("length", Integer.toString(items.size())));
    visit.blockStarted = true;
    Block block =
        new Block(
            visit,
            effective,
            items,
            items.size(),
            maxConcurrency,
            toleratedCount,
            toleratedPercentage);
    frame.activeBlock = block;
    launch(block);
    return null;
  }

  private int nonNegativeInteger(
      JsonPath path, JsonNode effective, JsonNode context, String field) {
    JsonNode value = execution.resolveReference(path, effective, context, field);
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
      throw WorkflowError.runtime(
          "The "
              + field
              + " field refers to value \""
              + (value.isTextual() ? value.textValue() : Json.write(value))
              + "\" which is not a valid integer: "
              + path.text());
    }
    return value.intValue();
  }

  /**
   * Starts the block's children while its concurrency allows, each running until it waits or ends;
   * a child that ends at once lets the loop start the next. Then checks whether all are done.
   */
  private void launch(Block block) {
    if (block.launching) {
      return;
    }
    block.launching = true;
    try {
      while (!block.closed
          && execution.isRunning()
          && block.started < block.total
          && (block.maxConcurrency == 0 || block.running < block.maxConcurrency)) {
        int index = block.started++;
        block.running++;
        startChild(block, index);
      }
    } finally {
      block.launching = false;
    }
    if (!block.closed
        && execution.isRunning()
        && block.started == block.total
        && block.running == 0) {
      blockSucceeded(block);
    }
  }

  private void startChild(Block block, int index) {
    Visit visit = block.visit;
    JsonNode childInput;
    StateMachineDefinition machine;
    if (visit.state instanceof State.Parallel parallel) {
      machine = parallel.branches().get(index);
      childInput = block.effectiveInput;
    } else {
      State.MapState map = (State.MapState) visit.state;
      machine = map.processor();
      execution.record(
          "MapIterationStarted",
          execution.details("name", map.name(), "index", Integer.toString(index)));
      JsonNode item = block.items.get(index);
      childInput = item;
      if (map.itemSelector() != null) {
        try {
          ObjectNode context = (ObjectNode) execution.context(visit, null);
          ObjectNode itemContext = context.putObject("Map").putObject("Item");
          itemContext.put("Index", index);
          itemContext.set("Value", item);
          childInput = PayloadTemplate.resolve(map.itemSelector(), block.effectiveInput, context);
        } catch (WorkflowError e) {
          block.running--;
          execution.record(
              "MapIterationFailed",
              execution.details("name", map.name(), "index", Integer.toString(index)));
          blockFailed(block, e.error(), execution.describe(visit, e));
          return;
        }
      }
    }
    Frame child = new Frame(machine, block, index);
    block.children.add(child);
    execution.run(child, new Next(machine.startAt(), childInput));
  }

  void childSucceeded(Frame child, JsonNode out) {
    Block block = child.parent;
    child.alive = false;
    if (block.closed) {
      return;
    }
    block.running--;
    block.results[child.index] = out;
    if (block.isMap()) {
      execution.record(
          "MapIterationSucceeded",
          execution.details(
              "name", block.visit.state.name(), "index", Integer.toString(child.index)));
    }
    launch(block);
  }

  void childFailed(Frame child, String childError, String childCause) {
    Block block = child.parent;
    child.alive = false;
    if (block.closed) {
      return;
    }
    block.running--;
    if (!block.isMap()) {
      blockFailed(block, childError, childCause);
      return;
    }
    execution.record(
        "MapIterationFailed",
        execution.details(
            "name", block.visit.state.name(), "index", Integer.toString(child.index)));
    block.failures++;
    ObjectNode failure = Json.object();
    failure.put("Error", childError);
    failure.put("Cause", childCause);
    block.results[child.index] = failure;
    if (!block.exceedsTolerance()) {
      launch(block);
      return;
    }
    if (block.toleratedCount == null && block.toleratedPercentage == null) {
      blockFailed(block, childError, childCause);
    } else {
      blockFailed(block, StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD, THRESHOLD_EXCEEDED);
    }
  }

  private void blockSucceeded(Block block) {
    block.closed = true;
    Visit visit = block.visit;
    Frame frame = visit.frame;
    frame.activeBlock = null;
    execution.record(visit.state.type() + "StateSucceeded", execution.details());
    ArrayNode result = Json.NODES.arrayNode(block.total);
    for (JsonNode each : block.results) {
      result.add(each);
    }
    Next next;
    try {
      JsonNode context = execution.context(visit, null);
      JsonNode resultSelector;
      JsonPath resultPath;
      JsonPath outputPath;
      Transition transition;
      if (visit.state instanceof State.Parallel parallel) {
        resultSelector = parallel.resultSelector();
        resultPath = parallel.resultPath();
        outputPath = parallel.outputPath();
        transition = parallel.transition();
      } else {
        State.MapState map = (State.MapState) visit.state;
        resultSelector = map.resultSelector();
        resultPath = map.resultPath();
        outputPath = map.outputPath();
        transition = map.transition();
      }
      JsonNode selected =
          resultSelector == null
              ? result
              : PayloadTemplate.resolve(resultSelector, result, context);
      JsonNode out =
          DataFlow.outputPath(
              outputPath, DataFlow.resultPath(resultPath, visit.input, selected), context);
      next = execution.exit(visit, transition, out);
    } catch (WorkflowError e) {
      next = execution.stateFailed(visit, e);
    }
    execution.run(frame, next);
  }

  private void blockFailed(Block block, String blockError, String blockCause) {
    block.closed = true;
    Visit visit = block.visit;
    Frame frame = visit.frame;
    frame.activeBlock = null;
    for (Frame child : block.children) {
      if (child.alive) {
        execution.abort(child, blockError);
        if (block.isMap()) {
          execution.record(
              "MapIterationAborted",
              execution.details(
                  "name", visit.state.name(), "index", Integer.toString(child.index)));
        }
      }
    }
    execution.run(frame, execution.recover(visit, blockError, blockCause, false));
  }
}
