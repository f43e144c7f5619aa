package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskFailure;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationRequest;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.TaskTokenStore.ParkOutcome;
import com.valuationflow.domain.port.Valuer;
import com.valuationflow.domain.port.WorkflowResumer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The workflow's RequestValuation step: asks the valuer to value the application's property and
 * parks the waiting task's token under the valuation reference the valuer answers with, so that the
 * valuer's callback can resume the workflow.
 *
 * <p>If the valuer cannot take the request, the task is failed with {@value #VALUER_UNAVAILABLE} so
 * that the workflow's {@code Retry} and {@code Catch} decide what happens next.
 */
public final class RequestValuation {

  /** Error name the task fails with when the valuer cannot take the request. */
  public static final String VALUER_UNAVAILABLE = "ValuerUnavailable";

  /** Error name the task fails with when the valuer answers with a reference already in use. */
  public static final String VALUATION_REFERENCE_IN_USE = "ValuationReferenceInUse";

  private static final System.Logger LOG = System.getLogger(RequestValuation.class.getName());

  private final Valuer valuer;
  private final TaskTokenStore taskTokenStore;
  private final WorkflowResumer workflowResumer;
  private final URI callbackUrl;
  private final Duration tokenTimeToLive;
  private final Clock clock;

  /**
   * @param callbackUrl our valuation webhook, handed to the valuer
   * @param tokenTimeToLive how long a parked token is kept: the task's timeout
   */
  public RequestValuation(
      Valuer valuer,
      TaskTokenStore taskTokenStore,
      WorkflowResumer workflowResumer,
      URI callbackUrl,
      Duration tokenTimeToLive,
      Clock clock) {
    this.valuer = Objects.requireNonNull(valuer, "'valuer' must not be null");
    this.taskTokenStore =
        Objects.requireNonNull(taskTokenStore, "'taskTokenStore' must not be null");
    this.workflowResumer =
        Objects.requireNonNull(workflowResumer, "'workflowResumer' must not be null");
    this.callbackUrl = Objects.requireNonNull(callbackUrl, "'callbackUrl' must not be null");
    this.tokenTimeToLive =
        Objects.requireNonNull(tokenTimeToLive, "'tokenTimeToLive' must not be null");
    if (tokenTimeToLive.isNegative() || tokenTimeToLive.isZero()) {
      throw new IllegalArgumentException(
          "'tokenTimeToLive' must be positive, was " + tokenTimeToLive);
    }
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
  }

  public Result request(Command command) {
    Objects.requireNonNull(command, "'command' must not be null");
    LoanApplication application = command.loanApplication();
    Valuer.ValuerReply reply =
        valuer.requestValuation(new ValuationRequest(application.property(), callbackUrl));
    if (reply instanceof Valuer.Accepted accepted) {
      return park(command, accepted.valuationReference());
    }
    String reason = ((Valuer.Unavailable) reply).reason();
    LOG.log(
        System.Logger.Level.WARNING,
        "Valuer unavailable for application {0}: {1}",
        application.applicationReference(),
        reason);
    workflowResumer.fail(command.taskToken(), TaskFailure.of(VALUER_UNAVAILABLE, truncate(reason)));
    return new ValuerUnavailable(reason);
  }

  private Result park(Command command, ValuationReference reference) {
    ParkedTask task =
        new ParkedTask(
            CorrelationKey.of(reference),
            command.taskToken(),
            command.loanApplication().applicationReference(),
            clock.instant().plus(tokenTimeToLive));
    if (taskTokenStore.park(task) == ParkOutcome.KEY_ALREADY_IN_USE) {
      workflowResumer.fail(
          command.taskToken(),
          TaskFailure.of(
              VALUATION_REFERENCE_IN_USE,
              "The valuer answered with valuation reference '"
                  + truncate(reference.value())
                  + "', which another waiting application already uses"));
      return new ReferenceAlreadyInUse(reference);
    }
    return new ValuationRequested(reference);
  }

  private static String truncate(String text) {
    return text.length() <= 1_000 ? text : text.substring(0, 1_000) + "…";
  }

  /** A loan application whose workflow waits on the task token. */
  public record Command(TaskToken taskToken, LoanApplication loanApplication) {
    public Command {
      Objects.requireNonNull(taskToken, "'taskToken' must not be null");
      Objects.requireNonNull(loanApplication, "'loanApplication' must not be null");
    }
  }

  /** What the request came to. */
  public sealed interface Result {}

  /** The valuer took the request; the token waits under the valuer's reference. */
  public record ValuationRequested(ValuationReference valuationReference) implements Result {}

  /**
   * The valuer could not take the request; the task was failed with {@value #VALUER_UNAVAILABLE}.
   */
  public record ValuerUnavailable(String reason) implements Result {}

  /**
   * The valuer answered with a reference another waiting task is parked under; the task was failed
   * with {@value #VALUATION_REFERENCE_IN_USE} rather than steal that task's callback.
   */
  public record ReferenceAlreadyInUse(ValuationReference valuationReference) implements Result {}
}
