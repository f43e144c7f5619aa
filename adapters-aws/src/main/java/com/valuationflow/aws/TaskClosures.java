package com.valuationflow.aws;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.TaskAnswer;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskOutput;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.port.WorkflowResumer.TaskClosure;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.TaskFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.TaskScheduledEventDetails;
import software.amazon.awssdk.services.sfn.model.TaskSucceededEventDetails;

/**
 * Tells from an execution's history how the task of a token closed. The task is the one whose
 * {@code TaskScheduled} parameters carry the token (the state machine passes it to the
 * RequestValuation function); its events follow from that one by {@code previousEventId}, and the
 * first of them that closes a task is its closure. A task that has none still waits, or its
 * execution ended while it waited. A task closed otherwise than by the answer is read on to the
 * execution's end, if it ended: until then the workflow may try the state again. The history is
 * read page by page, oldest first.
 */
final class TaskClosures {

  private static final int PAGE_SIZE = 1000;
  private static final Set<String> CLOSING_EVENTS =
      Set.of("TaskSucceeded", "TaskFailed", "TaskTimedOut", "TaskStartFailed", "TaskSubmitFailed");
  private static final Set<String> ENDING_EVENTS =
      Set.of("ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted");

  private final SfnClient sfn;
  private final StateMachineArn stateMachine;

  TaskClosures(SfnClient sfn, StateMachineArn stateMachine) {
    this.sfn = Objects.requireNonNull(sfn, "'sfn' must not be null");
    this.stateMachine = Objects.requireNonNull(stateMachine, "'stateMachine' must not be null");
  }

  /**
   * @throws WorkflowServiceUnavailableException if the history cannot be read
   */
  TaskClosure closureOf(ApplicationReference application, TaskToken token, TaskAnswer answer) {
    String executionArn = stateMachine.executionArn(application.value());
    try {
      Iterator<HistoryEvent> events =
          sfn.getExecutionHistoryPaginator(
                  r -> r.executionArn(executionArn).maxResults(PAGE_SIZE).reverseOrder(false))
              .events()
              .iterator();
      Set<Long> ofTheTask = new HashSet<>();
      boolean closedOtherwise = false;
      while (events.hasNext()) {
        HistoryEvent event = events.next();
        if (closedOtherwise) {
          if (ENDING_EVENTS.contains(event.typeAsString())) {
            return TaskClosure.OTHERWISE;
          }
        } else if (ofTheTask.isEmpty()) {
          if (schedules(event, token)) {
            ofTheTask.add(event.id());
          }
        } else if (ofTheTask.contains(event.previousEventId())) {
          if (CLOSING_EVENTS.contains(event.typeAsString())) {
            if (closedBy(event, answer)) {
              return TaskClosure.BY_THIS_ANSWER;
            }
            closedOtherwise = true;
          } else if (!"TaskScheduled".equals(event.typeAsString())) {
            ofTheTask.add(event.id());
          }
        }
      }
      return closedOtherwise ? TaskClosure.OTHERWISE_WHILE_EXECUTION_RUNS : TaskClosure.OTHERWISE;
    } catch (SdkException e) {
      throw SfnErrors.unavailable("GetExecutionHistory", e, token);
    }
  }

  private static boolean schedules(HistoryEvent event, TaskToken token) {
    TaskScheduledEventDetails details = event.taskScheduledEventDetails();
    return details != null
        && details.parameters() != null
        && details.parameters().contains(token.value());
  }

  private static boolean closedBy(HistoryEvent closing, TaskAnswer answer) {
    if (answer instanceof TaskOutput output) {
      TaskSucceededEventDetails succeeded = closing.taskSucceededEventDetails();
      return succeeded != null && output.json().equals(succeeded.output());
    }
    TaskFailure failure = (TaskFailure) answer;
    TaskFailedEventDetails failed = closing.taskFailedEventDetails();
    return failed != null
        && failure.error().equals(failed.error())
        && failure.cause().equals(failed.cause());
  }
}
