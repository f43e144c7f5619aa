package com.valuationflow.app.capacity;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.TaskAnswer;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer;
import java.util.Objects;

/**
 * Keeps the sends of a resumer (success, failure, heartbeat, one bucket for all three) within a
 * rate limit: with the bucket empty, a send is not made and fails with {@link
 * RateLimitExceededException}, which the use cases treat as the resumer being unavailable (a
 * callback is let go for its valuer's retry; a stranded one waits for the next search). Reading how
 * a task closed is not limited here.
 */
public final class RateLimitedWorkflowResumer implements WorkflowResumer {

  static final String LIMIT = "task response";

  private final WorkflowResumer resumer;
  private final TokenBucket sends;

  public RateLimitedWorkflowResumer(WorkflowResumer resumer, TokenBucket sends) {
    this.resumer = Objects.requireNonNull(resumer, "'resumer' must not be null");
    this.sends = Objects.requireNonNull(sends, "'sends' must not be null");
  }

  @Override
  public ResumeOutcome succeed(TaskToken token, TaskOutput output) {
    RateLimitExceededException.take(sends, LIMIT);
    return resumer.succeed(token, output);
  }

  @Override
  public ResumeOutcome fail(TaskToken token, TaskFailure failure) {
    RateLimitExceededException.take(sends, LIMIT);
    return resumer.fail(token, failure);
  }

  @Override
  public ResumeOutcome heartbeat(TaskToken token) {
    RateLimitExceededException.take(sends, LIMIT);
    return resumer.heartbeat(token);
  }

  @Override
  public TaskClosure closureOf(
      ApplicationReference application, TaskToken token, TaskAnswer answer) {
    return resumer.closureOf(application, token, answer);
  }
}
