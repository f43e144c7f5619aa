package com.valuationflow.inmemory;

import static com.valuationflow.domain.testing.ParkedTasks.aParkedTask;
import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.port.TaskTokenStore;
import com.valuationflow.domain.port.TaskTokenStoreContract;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryTaskTokenStoreTest extends TaskTokenStoreContract {

  @Override
  protected TaskTokenStore createStore(Clock clock, Duration retention) {
    return new InMemoryTaskTokenStore(clock, retention);
  }

  private InMemoryTaskTokenStore inMemory() {
    return (InMemoryTaskTokenStore) store;
  }

  @Test
  void aResumedTasksTokenIsForgottenAtOnce() {
    store.park(aParkedTask().withKey("c-1").withToken("t-1").build());
    store.recordReference(CorrelationKey.of("c-1"), ValuationReference.of("val-1"));
    store.acceptCallback(CorrelationKey.of("c-1"), ValuationResult.of("val-1", 1));

    store.markResumed(CorrelationKey.of("c-1"), TaskToken.of("t-1"));

    assertThat(inMemory().tokensHeld()).isZero();
    assertThat(inMemory().size()).isEqualTo(1);
  }

  @Test
  void expiredTokensAndThenForgottenTasksAreSweptOutSoTheStoreDoesNotGrowForever() {
    for (int i = 0; i < 100; i++) {
      store.park(aParkedTask().expiringAt(clock.instant().plusSeconds(30)).build());
    }
    clock.advance(Duration.ofMinutes(2));
    store.park(aParkedTask().expiringAt(clock.instant().plus(Duration.ofDays(30))).build());

    assertThat(inMemory().tokensHeld()).isEqualTo(1);
    assertThat(inMemory().size()).isEqualTo(101);

    clock.advance(RETENTION);
    store.park(aParkedTask().expiringAt(clock.instant().plus(Duration.ofDays(30))).build());

    assertThat(inMemory().size()).isEqualTo(2);
  }

  @Test
  void beyondItsCapacityTheTasksThatStoppedWaitingFirstAreForgottenFirst() {
    InMemoryTaskTokenStore small = new InMemoryTaskTokenStore(clock, RETENTION, 2);
    for (String key : new String[] {"waiting", "c-1", "c-2", "c-3"}) {
      small.park(aParkedTask().withKey(key).withToken("t-" + key).build());
    }

    small.expire(CorrelationKey.of("c-2"), TaskToken.of("t-c-2"));
    small.markResumed(CorrelationKey.of("c-1"), TaskToken.of("t-c-1"));
    small.expire(CorrelationKey.of("c-3"), TaskToken.of("t-c-3"));

    assertThat(small.size()).isEqualTo(3);
    assertThat(small.acceptCallback(CorrelationKey.of("c-2"), ValuationResult.of("val-1", 1)))
        .isEqualTo(TaskTokenStore.CallbackResult.of(TaskTokenStore.CallbackOutcome.UNKNOWN));
    assertThat(small.tokensHeld()).as("the waiting task is kept").isEqualTo(1);
  }
}
