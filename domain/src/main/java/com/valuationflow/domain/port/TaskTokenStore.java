package com.valuationflow.domain.port;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import java.util.Optional;

/**
 * Keeps the task tokens of waiting tasks until their callbacks arrive.
 *
 * <p>A token is parked under a correlation key until its task expires, and can be taken back
 * exactly once: of any number of concurrent {@link #take} calls for one key, at most one gets the
 * token. Expired tokens are never returned, and implementations eventually forget them.
 */
public interface TaskTokenStore {

  /** Parks a token, unless a token is already parked under the same key. */
  ParkOutcome park(ParkedTask task);

  /** Removes and returns the token parked under the key, if there is one and it has not expired. */
  Optional<ParkedTask> take(CorrelationKey key);

  /** The outcome of {@link #park}. */
  enum ParkOutcome {
    /** The token is now parked. */
    PARKED,
    /** A token was already parked under that key; it is kept and the new one is not. */
    KEY_ALREADY_IN_USE
  }
}
