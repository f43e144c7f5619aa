package com.valuationflow.domain.testing;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.TaskAnswer;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link WorkflowResumer} that records every call and answers with a set outcome. */
public final class RecordingWorkflowResumer implements WorkflowResumer {

  /** One recorded call; {@code output} or {@code failure} is null when it does not apply. */
  public record Call(String kind, TaskToken token, TaskOutput output, TaskFailure failure) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile ResumeOutcome answer = ResumeOutcome.RESUMED;
  private volatile RuntimeException thrown;
  private volatile TaskClosure closure = TaskClosure.OTHERWISE;
  private volatile RuntimeException closureThrown;

  public RecordingWorkflowResumer answering(ResumeOutcome answer) {
    this.answer = answer;
    return this;
  }

  /** Sets what {@link #closureOf} answers: by default, that the task closed otherwise. */
  public RecordingWorkflowResumer closing(TaskClosure closure) {
    this.closure = closure;
    return this;
  }

  /** Makes {@link #closureOf} record itself, then throw, as an execution that cannot be read. */
  public RecordingWorkflowResumer closureFailingWith(RuntimeException closureThrown) {
    this.closureThrown = closureThrown;
    return this;
  }

  /** Makes every call record itself, then throw the exception, as an unreachable service does. */
  public RecordingWorkflowResumer failingWith(RuntimeException thrown) {
    this.thrown = thrown;
    return this;
  }

  private ResumeOutcome answer() {
    if (thrown != null) {
      throw thrown;
    }
    return answer;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  public ResumeOutcome succeed(TaskToken token, TaskOutput output) {
    calls.add(new Call("succeed", token, output, null));
    return answer();
  }

  @Override
  public ResumeOutcome fail(TaskToken token, TaskFailure failure) {
    calls.add(new Call("fail", token, null, failure));
    return answer();
  }

  @Override
  public ResumeOutcome heartbeat(TaskToken token) {
    calls.add(new Call("heartbeat", token, null, null));
    return answer();
  }

  @Override
  public TaskClosure closureOf(
      ApplicationReference application, TaskToken token, TaskAnswer answer) {
    calls.add(
        new Call(
            "closureOf",
            token,
            answer instanceof TaskOutput output ? output : null,
            answer instanceof TaskFailure failure ? failure : null));
    if (closureThrown != null) {
      throw closureThrown;
    }
    return closure;
  }
}
