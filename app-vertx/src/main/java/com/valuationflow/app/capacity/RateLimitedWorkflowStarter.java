package com.valuationflow.app.capacity;

import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.WorkflowStarter;
import java.util.Objects;

/**
 * Keeps a starter's starts within a rate limit: with the bucket empty, nothing is started and the
 * start fails with {@link RateLimitExceededException} (a submission answered {@code 503} with
 * {@code Retry-After}, to be submitted again).
 */
public final class RateLimitedWorkflowStarter implements WorkflowStarter {

  static final String LIMIT = "workflow start";

  private final WorkflowStarter starter;
  private final TokenBucket starts;

  public RateLimitedWorkflowStarter(WorkflowStarter starter, TokenBucket starts) {
    this.starter = Objects.requireNonNull(starter, "'starter' must not be null");
    this.starts = Objects.requireNonNull(starts, "'starts' must not be null");
  }

  @Override
  public StartOutcome start(WorkflowInput input) {
    RateLimitExceededException.take(starts, LIMIT);
    return starter.start(input);
  }
}
