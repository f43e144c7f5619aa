package com.valuationflow.domain.model;

/**
 * What we answer a waiting task with: an output that completes it, or a failure that fails it.
 * Telling whether a task closed with our answer compares against this.
 */
public sealed interface TaskAnswer permits TaskOutput, TaskFailure {}
