package com.valuationflow.domain.port;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuerCallback;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the task tokens of tasks that wait for a valuer, and the valuer's answers as they come.
 *
 * <p>A token is parked under our correlation key before the valuer is asked. The valuer's reply
 * (its reference) and its callback may then arrive in either order; the store records each with a
 * conditional write, so that whoever records the second of the two knows it is time to resume the
 * task, and only one of any number of concurrent callers does. Once the task is resumed or stops
 * waiting, the token is forgotten, but the outcome is remembered for a retention period so that a
 * repeated or late callback gets a precise answer. Implementations never return a task past its
 * expiry and eventually forget everything.
 *
 * <p>Every store judges callbacks by the same rules, {@link RememberedTask#judge}. A call answers
 * by its own effect even if the store had to retry the write (its first attempt went through, but
 * the answer was lost).
 */
public interface TaskTokenStore {

  /**
   * The correlation key of an application's valuation: the proposed key, unless the application was
   * given one before (by an earlier attempt to request its valuation), which then stands. So every
   * attempt parks its token under one key and hands the valuer one callback URL and one idempotency
   * key.
   *
   * @param expiresAt when the requesting task times out; the key is remembered at least as long as
   *     a task parked with this expiry
   */
  CorrelationKey valuationKeyFor(
      ApplicationReference application, CorrelationKey proposed, Instant expiresAt);

  /**
   * Parks a token. Under a new key, the task is parked as given. Under a key whose task is neither
   * resumed nor expired but holds another token, the token is of a later attempt of the same task
   * (Step Functions retried it, which it does only once the earlier attempt failed): it replaces
   * the earlier token and expiry, and whatever is known of the valuation (reference, callback) is
   * kept. The same token parked again (the task was delivered twice), or any token under a key
   * whose task was resumed or expired, is {@link ParkOutcome#KEY_ALREADY_IN_USE}.
   */
  ParkOutcome park(ParkedTask task);

  /** The task parked under the key, as it stands, if it still holds a token and has not expired. */
  Optional<ParkedTask> waitingTask(CorrelationKey key);

  /**
   * Records the valuer's reference for a parked task.
   *
   * @return the task as it now stands, possibly with an early callback (which may quote another
   *     reference); empty if no task waits under the key (never parked, resumed, expired) or a
   *     different reference was recorded
   */
  Optional<ParkedTask> recordReference(CorrelationKey key, ValuationReference reference);

  /**
   * Accepts a callback for a parked task, unless one was accepted already. A callback whose
   * reference differs from the valuer's recorded reference is {@link CallbackOutcome#UNKNOWN}; a
   * stored early callback that quoted another reference than the recorded one counts as none, and
   * the accepted callback replaces it.
   */
  CallbackResult acceptCallback(CorrelationKey key, ValuerCallback callback);

  /**
   * Forgets a stored callback that turned out not to match the valuer's reference (it came before
   * the reply, quoting another reference). Tidying only: such a callback already counts as none.
   * Does nothing if another callback is stored by now, or the task was resumed.
   */
  void discardCallback(CorrelationKey key, ValuerCallback callback);

  /**
   * The task was resumed with the token: forget the token, remember that it was for repeated
   * callbacks. Does nothing if the task was {@linkplain #expire expired} before (it stays expired,
   * and its callbacks stay late), or holds another token by now.
   */
  void markResumed(CorrelationKey key, TaskToken token);

  /**
   * The task stopped waiting on the token (timed out, its execution ended): forget the token; later
   * callbacks are late. Does nothing if the task was resumed before, or holds another token by now
   * (a later attempt waits).
   */
  void expire(CorrelationKey key, TaskToken token);

  /**
   * Callbacks that were accepted before the instant but whose task was never resumed: their resume
   * failed without letting them go, or the process that accepted them died. Each task is returned
   * as stored, still holding its token and not expired, with its {@linkplain
   * ParkedTask#callbackToResumeWith() callback to resume with} and when that was accepted; early
   * callbacks still awaiting the valuer's reply are not stranded, nor are stale ones quoting
   * another reference. The answer may lag a concurrent resume (whoever resumes next finds the task
   * closed), and it is in no particular order.
   *
   * @param acceptedBefore only callbacks accepted strictly before this instant
   * @param limit at most this many tasks (positive); call again for more once they are resumed
   */
  List<ParkedTask> strandedCallbacks(Instant acceptedBefore, int limit);

  /** The outcome of {@link #park}. */
  enum ParkOutcome {
    /** The token is now parked: under a new key, or in place of an earlier attempt's token. */
    PARKED,
    /**
     * The same token was parked under that key already, or the key's task no longer waits; what is
     * stored is kept and the new token is not.
     */
    KEY_ALREADY_IN_USE
  }

  /** What became of a callback. */
  enum CallbackOutcome {
    /** The callback is the first for its task, which {@link CallbackResult#task()} holds. */
    ACCEPTED,
    /** An equal callback was accepted before, and its task has been resumed. */
    DUPLICATE_OF_RESUMED,
    /**
     * An equal callback was accepted before; its task is not resumed yet, and still waits. {@link
     * CallbackResult#task()} holds it, with the token and when the callback was accepted, so that a
     * resume that failed or was abandoned can be tried again.
     */
    DUPLICATE_IN_PROGRESS,
    /** A different callback was accepted for the same task before. */
    CONFLICTS_WITH_ACCEPTED,
    /** The task no longer waits: it timed out or failed. */
    LATE,
    /** No task waits under that key for a callback with that reference. */
    UNKNOWN
  }

  /**
   * The outcome of {@link #acceptCallback}.
   *
   * @param task the task as stored, with the accepted callback and {@link ParkedTask#acceptedAt()
   *     when it was accepted}: always with {@link CallbackOutcome#ACCEPTED}; with {@link
   *     CallbackOutcome#DUPLICATE_IN_PROGRESS} whenever a store answers it (only test doubles leave
   *     it out); never with other outcomes
   */
  record CallbackResult(CallbackOutcome outcome, Optional<ParkedTask> task) {
    public CallbackResult {
      Objects.requireNonNull(outcome, "'outcome' must not be null");
      Objects.requireNonNull(task, "'task' must not be null");
      boolean carriesTask =
          outcome == CallbackOutcome.ACCEPTED || outcome == CallbackOutcome.DUPLICATE_IN_PROGRESS;
      if (carriesTask && task.isEmpty()) {
        throw new IllegalArgumentException(outcome + " comes with the task");
      }
      if (task.isPresent()
          && outcome != CallbackOutcome.ACCEPTED
          && outcome != CallbackOutcome.DUPLICATE_IN_PROGRESS) {
        throw new IllegalArgumentException(
            "a task comes only with ACCEPTED or DUPLICATE_IN_PROGRESS, not " + outcome);
      }
    }

    public static CallbackResult accepted(ParkedTask task) {
      return new CallbackResult(CallbackOutcome.ACCEPTED, Optional.of(task));
    }

    /** {@link CallbackOutcome#DUPLICATE_IN_PROGRESS}, with the task as stored. */
    public static CallbackResult inProgress(ParkedTask task) {
      return new CallbackResult(CallbackOutcome.DUPLICATE_IN_PROGRESS, Optional.of(task));
    }

    public static CallbackResult of(CallbackOutcome outcome) {
      return new CallbackResult(outcome, Optional.empty());
    }
  }
}
