package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.model.WorkflowInput;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.TaskTokenStore.ParkOutcome;
import com.valuationflow.domain.port.Valuer;
import com.valuationflow.domain.port.WorkflowResumer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The workflow's RequestValuation step: parks the waiting task's token under a correlation key of
 * ours, then asks the valuer to value the property, handing it a callback URL that carries the key.
 * Parking first means no callback can outrun its token; if one arrives before the valuer's reply,
 * it is held and applied here once the reply names the same reference.
 *
 * <p>One application's valuation has one key: every attempt to request it, first or retried by the
 * workflow, parks its token under the same key and sends the valuer the same callback URL and the
 * same idempotency key, so a valuer that honours the key values the property once, and its callback
 * resumes whichever attempt waits. The same attempt (the same token) is requested at most once,
 * however often it is delivered. If the valuer cannot take the request, the task is failed with
 * {@value #VALUER_UNAVAILABLE} so that the workflow's {@code Retry} and {@code Catch} decide what
 * happens next; unless the valuer's callback has come meanwhile, which shows that it took the
 * request: then the callback's reference stands for the lost reply.
 */
public final class RequestValuation {

  /** Error name the task fails with when the valuer cannot take the request. */
  public static final String VALUER_UNAVAILABLE = "ValuerUnavailable";

  /** Query parameter of the callback URL that carries the {@link CorrelationKey}. */
  public static final String CORRELATION_PARAMETER = "correlationId";

  private static final System.Logger LOG = System.getLogger(RequestValuation.class.getName());

  private final Valuer valuer;
  private final TaskTokenStore taskTokenStore;
  private final WorkflowResumer workflowResumer;
  private final TaskResumption resumption;
  private final URI callbackUrl;
  private final Clock clock;

  /**
   * @param callbackUrl our valuation webhook; each request's callback URL adds {@value
   *     #CORRELATION_PARAMETER} to it
   */
  public RequestValuation(
      Valuer valuer,
      TaskTokenStore taskTokenStore,
      WorkflowResumer workflowResumer,
      URI callbackUrl,
      Clock clock) {
    this.valuer = Objects.requireNonNull(valuer, "'valuer' must not be null");
    this.taskTokenStore =
        Objects.requireNonNull(taskTokenStore, "'taskTokenStore' must not be null");
    this.workflowResumer =
        Objects.requireNonNull(workflowResumer, "'workflowResumer' must not be null");
    this.callbackUrl = Objects.requireNonNull(callbackUrl, "'callbackUrl' must not be null");
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    this.resumption = new TaskResumption(taskTokenStore, workflowResumer);
  }

  /** The callback URL handed to the valuer for the task with this key. */
  public URI callbackUrlFor(CorrelationKey key) {
    String base = callbackUrl.toString();
    return URI.create(
        base + (base.contains("?") ? "&" : "?") + CORRELATION_PARAMETER + "=" + key.value());
  }

  public Result request(Command command) {
    Objects.requireNonNull(command, "'command' must not be null");
    LoanApplication application = command.loanApplication();
    Instant expiresAt = clock.instant().plus(command.valuationTimeout());
    CorrelationKey key =
        taskTokenStore.valuationKeyFor(
            application.applicationReference(), CorrelationKey.random(), expiresAt);
    ParkedTask parked =
        ParkedTask.awaitingReply(
            key, command.taskToken(), application.applicationReference(), expiresAt);
    if (taskTokenStore.park(parked) == ParkOutcome.KEY_ALREADY_IN_USE) {
      LOG.log(
          System.Logger.Level.INFO,
          "Valuation for application {0} already requested with this task; not requesting again",
          application.applicationReference());
      return new AlreadyRequested(application.applicationReference());
    }
    Valuer.ValuerReply reply =
        valuer.requestValuation(
            new ValuationRequest(application.property(), callbackUrlFor(key), key));
    if (reply instanceof Valuer.Accepted accepted) {
      return recordReference(key, accepted.valuationReference());
    }
    String reason = ((Valuer.Unavailable) reply).reason();
    Optional<ValuerCallback> called = taskTokenStore.waitingTask(key).flatMap(ParkedTask::callback);
    if (called.isPresent()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Valuer''s reply for application {0} was lost ({1}), but its callback came; taking"
              + " valuation {2} as its reply",
          application.applicationReference(),
          reason,
          called.get().valuationReference());
      return recordReference(key, called.get().valuationReference());
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "Valuer unavailable for application {0}: {1}",
        application.applicationReference(),
        reason);
    workflowResumer.fail(command.taskToken(), TaskFailure.of(VALUER_UNAVAILABLE, truncate(reason)));
    return new ValuerUnavailable(reason);
  }

  private Result recordReference(CorrelationKey key, ValuationReference reference) {
    Optional<ParkedTask> recorded = taskTokenStore.recordReference(key, reference);
    if (recorded.isEmpty()) {
      return new NoLongerWaiting(reference);
    }
    ParkedTask task = recorded.get();
    Optional<ValuerCallback> early = task.callback();
    if (early.isEmpty()) {
      LOG.log(
          System.Logger.Level.INFO,
          "Valuation {1} requested for application {0}",
          task.applicationReference(),
          reference);
      return new ValuationRequested(reference);
    }
    if (task.callbackToResumeWith().isEmpty()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Early callback for application {0} quoted valuation {1}, but the valuer answered {2};"
              + " discarded",
          task.applicationReference(),
          early.get().valuationReference(),
          reference);
      taskTokenStore.discardCallback(key, early.get());
      return new ValuationRequested(reference);
    }
    boolean resumed = resumption.resume(task, early.get()) == TaskResumption.Resumption.RESUMED;
    LOG.log(
        System.Logger.Level.INFO,
        "Valuation {1} requested for application {0}; its early callback {2}",
        task.applicationReference(),
        reference,
        resumed ? "resumed it" : "came too late");
    return new EarlyCallbackApplied(
        reference,
        resumed
            ? WorkflowResumer.ResumeOutcome.RESUMED
            : WorkflowResumer.ResumeOutcome.TASK_TIMED_OUT);
  }

  private static String truncate(String text) {
    return text.length() <= 1_000 ? text : text.substring(0, 1_000) + "…";
  }

  /**
   * A loan application whose workflow waits on the task token.
   *
   * @param valuationTimeout how long the task waits for the valuation: the parked token's expiry; a
   *     whole number of seconds up to a year
   */
  public record Command(
      TaskToken taskToken, LoanApplication loanApplication, Duration valuationTimeout) {
    public Command {
      Objects.requireNonNull(taskToken, "'taskToken' must not be null");
      Objects.requireNonNull(loanApplication, "'loanApplication' must not be null");
      WorkflowInput.requireValidTimeout(valuationTimeout);
    }
  }

  /** What the request came to. */
  public sealed interface Result {}

  /** The valuer took the request; the task waits for its callback. */
  public record ValuationRequested(ValuationReference valuationReference) implements Result {}

  /** The valuer's callback came before its reply; with the reply it resumed the task. */
  public record EarlyCallbackApplied(
      ValuationReference valuationReference, WorkflowResumer.ResumeOutcome outcome)
      implements Result {}

  /** This task was requested before (it was delivered again); nothing was done. */
  public record AlreadyRequested(ApplicationReference applicationReference) implements Result {}

  /**
   * The valuer could not take the request; the task was failed with {@value #VALUER_UNAVAILABLE}.
   */
  public record ValuerUnavailable(String reason) implements Result {}

  /** The valuer took the request, but the task stopped waiting meanwhile. */
  public record NoLongerWaiting(ValuationReference valuationReference) implements Result {}
}
