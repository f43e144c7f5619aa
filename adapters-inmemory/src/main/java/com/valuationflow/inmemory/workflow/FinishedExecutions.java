package com.valuationflow.inmemory.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The finished executions an engine still remembers, in the order they finished, and which of them
 * are due to be forgotten: those finished longer than the retention ago, and the oldest beyond the
 * capacity. Not thread-safe: the engine guards it.
 */
final class FinishedExecutions {

  /** A finished execution and the task tokens it issued. */
  record Finished(Execution execution, Instant stopDate, List<String> tokens) {
    Finished {
      Objects.requireNonNull(execution, "'execution' must not be null");
      Objects.requireNonNull(stopDate, "'stopDate' must not be null");
      tokens = List.copyOf(tokens);
    }
  }

  private final Duration retention;
  private final int capacity;
  private final Deque<Finished> oldestFirst = new ArrayDeque<>();

  FinishedExecutions(Duration retention, int capacity) {
    this.retention = Objects.requireNonNull(retention, "'retention' must not be null");
    this.capacity = capacity;
  }

  void add(Finished finished) {
    oldestFirst.addLast(finished);
  }

  /** Removes and returns the executions to forget now. */
  List<Finished> due(Instant now) {
    List<Finished> due = new ArrayList<>();
    while (!oldestFirst.isEmpty()
        && (oldestFirst.size() > capacity
            || !now.isBefore(oldestFirst.peekFirst().stopDate().plus(retention)))) {
      due.add(oldestFirst.pollFirst());
    }
    return due;
  }

  int size() {
    return oldestFirst.size();
  }
}
