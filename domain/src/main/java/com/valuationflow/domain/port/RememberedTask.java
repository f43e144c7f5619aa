package com.valuationflow.domain.port;

import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.TaskTokenStore.CallbackOutcome;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link TaskTokenStore} remembers of one task, as far as callbacks go, and the one set of
 * rules by which every store judges a callback against it. A store that remembers nothing under the
 * key (never parked, retention over) answers {@link CallbackOutcome#UNKNOWN}.
 *
 * @param valuationReference the valuer's reference, once recorded
 * @param callback the callback stored for the task, if any
 * @param resumed the task was resumed
 * @param waiting the task still waits: it holds its token and has not expired
 */
public record RememberedTask(
    Optional<ValuationReference> valuationReference,
    Optional<ValuerCallback> callback,
    boolean resumed,
    boolean waiting) {

  public RememberedTask {
    Objects.requireNonNull(valuationReference, "'valuationReference' must not be null");
    Objects.requireNonNull(callback, "'callback' must not be null");
  }

  /**
   * The stored callback, unless it quotes another reference than the recorded one: such a stale
   * early callback counts as absent, and a callback with the right reference may replace it.
   */
  public Optional<ValuerCallback> standingCallback() {
    return callback.filter(
        stored -> valuationReference.map(stored.valuationReference()::equals).orElse(true));
  }

  /**
   * What becomes of the candidate callback: {@link CallbackOutcome#ACCEPTED} if the store is to
   * store it (replacing a stale early callback, if any), otherwise why it is refused.
   */
  public CallbackOutcome judge(ValuerCallback candidate) {
    Objects.requireNonNull(candidate, "'candidate' must not be null");
    if (valuationReference.filter(r -> !r.equals(candidate.valuationReference())).isPresent()) {
      return CallbackOutcome.UNKNOWN;
    }
    Optional<ValuerCallback> standing = standingCallback();
    if (standing.isEmpty()) {
      return waiting ? CallbackOutcome.ACCEPTED : CallbackOutcome.LATE;
    }
    if (!standing.get().equals(candidate)) {
      return resumed || waiting ? CallbackOutcome.CONFLICTS_WITH_ACCEPTED : CallbackOutcome.LATE;
    }
    if (resumed) {
      return CallbackOutcome.DUPLICATE_OF_RESUMED;
    }
    return waiting ? CallbackOutcome.DUPLICATE_IN_PROGRESS : CallbackOutcome.LATE;
  }
}
