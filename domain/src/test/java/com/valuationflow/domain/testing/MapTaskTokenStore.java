package com.valuationflow.domain.testing;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.port.TaskTokenStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The simplest {@link TaskTokenStore} for use-case tests; it ignores expiry. */
public final class MapTaskTokenStore implements TaskTokenStore {

  private final Map<CorrelationKey, ParkedTask> parked = new ConcurrentHashMap<>();

  @Override
  public ParkOutcome park(ParkedTask task) {
    return parked.putIfAbsent(task.key(), task) == null
        ? ParkOutcome.PARKED
        : ParkOutcome.KEY_ALREADY_IN_USE;
  }

  @Override
  public Optional<ParkedTask> take(CorrelationKey key) {
    return Optional.ofNullable(parked.remove(key));
  }

  public Map<CorrelationKey, ParkedTask> parked() {
    return Map.copyOf(parked);
  }
}
