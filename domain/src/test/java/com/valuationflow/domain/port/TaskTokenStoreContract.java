package com.valuationflow.domain.port;

import static com.valuationflow.domain.testing.ParkedTasks.aParkedTask;
import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.port.TaskTokenStore.ParkOutcome;
import com.valuationflow.domain.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskTokenStore} promises. An adapter's test extends this class and says how to
 * build the store under test.
 */
public abstract class TaskTokenStoreContract {

  protected static final int RACERS = 16;

  protected final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
  protected TaskTokenStore store;

  /** A new, empty store that reads the time from the clock. */
  protected abstract TaskTokenStore createStore(Clock clock);

  @BeforeEach
  void createStoreUnderTest() {
    store = createStore(clock);
  }

  @AfterEach
  protected void closeStore() throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  private Instant inOneHour() {
    return clock.instant().plus(Duration.ofHours(1));
  }

  @Test
  void aParkedTokenIsTakenBackUnderItsKey() {
    ParkedTask task = aParkedTask().withKey("val-1").expiringAt(inOneHour()).build();

    assertThat(store.park(task)).isEqualTo(ParkOutcome.PARKED);

    assertThat(store.take(new CorrelationKey("val-1"))).contains(task);
  }

  @Test
  void aTokenIsTakenAtMostOnce() {
    store.park(aParkedTask().withKey("val-1").expiringAt(inOneHour()).build());
    store.take(new CorrelationKey("val-1"));

    assertThat(store.take(new CorrelationKey("val-1"))).isEmpty();
  }

  @Test
  void nothingIsTakenUnderAnUnknownKey() {
    store.park(aParkedTask().withKey("val-1").expiringAt(inOneHour()).build());

    assertThat(store.take(new CorrelationKey("val-2"))).isEmpty();
    assertThat(store.take(new CorrelationKey("val-1"))).isPresent();
  }

  @Test
  void aParkedTokenIsNeverOverwritten() {
    ParkedTask first =
        aParkedTask().withKey("val-1").withToken("first").expiringAt(inOneHour()).build();
    ParkedTask second =
        aParkedTask().withKey("val-1").withToken("second").expiringAt(inOneHour()).build();
    store.park(first);

    assertThat(store.park(second)).isEqualTo(ParkOutcome.KEY_ALREADY_IN_USE);

    assertThat(store.take(new CorrelationKey("val-1"))).contains(first);
  }

  @Test
  void anExpiredTokenIsNotTaken() {
    store.park(aParkedTask().withKey("val-1").expiringAt(inOneHour()).build());

    clock.advance(Duration.ofHours(1));

    assertThat(store.take(new CorrelationKey("val-1"))).isEmpty();
  }

  @Test
  void aTokenIsTakenUpToItsExpiry() {
    ParkedTask task = aParkedTask().withKey("val-1").expiringAt(inOneHour()).build();
    store.park(task);

    clock.advance(Duration.ofMinutes(59));

    assertThat(store.take(new CorrelationKey("val-1"))).contains(task);
  }

  @Test
  void theKeyOfAnExpiredTokenCanBeParkedAgain() {
    store.park(aParkedTask().withKey("val-1").withToken("old").expiringAt(inOneHour()).build());
    clock.advance(Duration.ofHours(2));
    ParkedTask fresh =
        aParkedTask().withKey("val-1").withToken("new").expiringAt(inOneHour()).build();

    assertThat(store.park(fresh)).isEqualTo(ParkOutcome.PARKED);
    assertThat(store.take(new CorrelationKey("val-1"))).contains(fresh);
  }

  @Test
  void ofConcurrentTakesOfOneKeyExactlyOneWins() throws Exception {
    store.park(aParkedTask().withKey("val-race").expiringAt(inOneHour()).build());

    List<Optional<ParkedTask>> taken = race(() -> store.take(new CorrelationKey("val-race")));

    assertThat(taken.stream().filter(Optional::isPresent)).hasSize(1);
  }

  @Test
  void ofConcurrentParksUnderOneKeyExactlyOneWins() throws Exception {
    List<ParkOutcome> outcomes =
        race(() -> store.park(aParkedTask().withKey("val-race").expiringAt(inOneHour()).build()));

    assertThat(outcomes).containsOnlyOnce(ParkOutcome.PARKED);
    assertThat(outcomes.stream().filter(o -> o == ParkOutcome.KEY_ALREADY_IN_USE))
        .hasSize(RACERS - 1);
  }

  /** Runs the action on {@link #RACERS} threads released at once; returns every result. */
  protected static <T> List<T> race(Callable<T> action) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return action.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
