package com.valuationflow.domain.port;

import static com.valuationflow.domain.testing.ParkedTasks.aParkedTask;
import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationFailure;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuationResult;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.TaskTokenStore.CallbackOutcome;
import com.valuationflow.domain.port.TaskTokenStore.CallbackResult;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskTokenStore} promises. An adapter's test extends this class and says how to
 * build the store under test.
 */
public abstract class TaskTokenStoreContract {

  protected static final int RACERS = 16;
  protected static final Duration RETENTION = Duration.ofDays(7);

  protected static final CorrelationKey KEY = CorrelationKey.of("c-key-1");
  protected static final TaskToken TOKEN = TaskToken.of("token-1");
  protected static final ApplicationReference APPLICATION = ApplicationReference.of("app-ref");
  protected static final ValuationReference REFERENCE = ValuationReference.of("val-1");
  protected static final ValuationResult VALUATION = ValuationResult.of("val-1", 250_000);

  protected final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
  protected TaskTokenStore store;

  /**
   * A new, empty store that reads the time from the clock and remembers outcomes for the retention
   * after a task's expiry.
   */
  protected abstract TaskTokenStore createStore(Clock clock, Duration retention);

  @BeforeEach
  void createStoreUnderTest() {
    store = createStore(clock, RETENTION);
  }

  @AfterEach
  protected void closeStore() throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  private ParkedTask parkOneHourTask() {
    ParkedTask task =
        aParkedTask()
            .withKey(KEY.value())
            .withToken(TOKEN.value())
            .expiringAt(clock.instant().plus(Duration.ofHours(1)))
            .build();
    assertThat(store.park(task)).isEqualTo(ParkOutcome.PARKED);
    return task;
  }

  /** The task's next attempt, as Step Functions retries it: another token, a new expiry. */
  private ParkedTask laterAttempt(String token) {
    return aParkedTask()
        .withKey(KEY.value())
        .withToken(token)
        .expiringAt(clock.instant().plus(Duration.ofHours(2)))
        .build();
  }

  @Test
  void anApplicationKeepsTheValuationKeyItWasFirstGiven() {
    Instant expiry = clock.instant().plus(Duration.ofHours(1));
    CorrelationKey first = CorrelationKey.random();

    assertThat(store.valuationKeyFor(APPLICATION, first, expiry)).isEqualTo(first);
    assertThat(store.valuationKeyFor(APPLICATION, CorrelationKey.random(), expiry))
        .isEqualTo(first);
    CorrelationKey other = CorrelationKey.random();
    assertThat(store.valuationKeyFor(ApplicationReference.of("app-other"), other, expiry))
        .isEqualTo(other);
  }

  @Test
  void ofConcurrentlyProposedValuationKeysOneStands() throws Exception {
    Instant expiry = clock.instant().plus(Duration.ofHours(1));
    List<CorrelationKey> keys =
        race(() -> store.valuationKeyFor(APPLICATION, CorrelationKey.random(), expiry));

    assertThat(keys).hasSize(RACERS).containsOnly(keys.get(0));
  }

  @Test
  void theSameTokenIsParkedOnce() {
    ParkedTask task = parkOneHourTask();

    assertThat(store.park(task)).isEqualTo(ParkOutcome.KEY_ALREADY_IN_USE);
  }

  @Test
  void aLaterAttemptTakesTheKeyAndKeepsWhatIsKnownOfTheValuation() {
    parkOneHourTask();
    store.acceptCallback(KEY, VALUATION);
    ParkedTask later = laterAttempt("token-2");

    assertThat(store.park(later)).isEqualTo(ParkOutcome.PARKED);

    ParkedTask recorded = store.recordReference(KEY, REFERENCE).orElseThrow();
    assertThat(recorded.token()).isEqualTo(later.token());
    assertThat(recorded.expiresAt()).isEqualTo(later.expiresAt());
    assertThat(recorded.callbackToResumeWith()).contains(VALUATION);
  }

  @Test
  void closingAnEarlierAttemptLeavesTheLaterOneWaiting() {
    parkOneHourTask();
    store.park(laterAttempt("token-2"));

    store.expire(KEY, TOKEN);
    store.markResumed(KEY, TOKEN);

    assertThat(store.waitingTask(KEY).map(ParkedTask::token)).contains(TaskToken.of("token-2"));
    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
  }

  @Test
  void noLaterAttemptTakesTheKeyOfAResumedOrExpiredTask() {
    parkOneHourTask();
    store.markResumed(KEY, TOKEN);
    ParkedTask other =
        aParkedTask()
            .withKey("c-key-2")
            .withToken("t-a")
            .expiringAt(clock.instant().plus(Duration.ofHours(1)))
            .build();
    store.park(other);
    store.expire(other.key(), other.token());

    assertThat(store.park(laterAttempt("token-2"))).isEqualTo(ParkOutcome.KEY_ALREADY_IN_USE);
    assertThat(store.park(aParkedTask().withKey("c-key-2").withToken("t-b").build()))
        .isEqualTo(ParkOutcome.KEY_ALREADY_IN_USE);
  }

  @Test
  void aWaitingTaskIsFoundAsItStands() {
    assertThat(store.waitingTask(KEY)).isEmpty();
    ParkedTask task = parkOneHourTask();
    store.acceptCallback(KEY, VALUATION);

    assertThat(store.waitingTask(KEY)).contains(task.withCallback(VALUATION, clock.instant()));

    clock.advance(Duration.ofHours(1));
    assertThat(store.waitingTask(KEY)).isEmpty();
  }

  @Test
  void aParkedTaskLearnsTheValuersReference() {
    ParkedTask task = parkOneHourTask();

    assertThat(store.recordReference(KEY, REFERENCE))
        .contains(task.withValuationReference(REFERENCE));
  }

  @Test
  void recordingTheSameReferenceAgainIsHarmlessButAnotherIsRefused() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);

    assertThat(store.recordReference(KEY, REFERENCE)).isPresent();
    assertThat(store.recordReference(KEY, ValuationReference.of("val-2"))).isEmpty();
  }

  @Test
  void nothingIsRecordedUnderAnUnknownKey() {
    parkOneHourTask();

    assertThat(store.recordReference(CorrelationKey.of("c-other"), REFERENCE)).isEmpty();
  }

  @Test
  void aCallbackAfterTheReplyIsAcceptedWithTheTokenToResume() {
    ParkedTask task = parkOneHourTask();
    store.recordReference(KEY, REFERENCE);

    CallbackResult result = store.acceptCallback(KEY, VALUATION);

    assertThat(result.outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
    assertThat(result.task())
        .contains(task.withValuationReference(REFERENCE).withCallback(VALUATION, clock.instant()));
  }

  @Test
  void aCallbackBeforeTheReplyIsAcceptedAndHandedToWhoeverRecordsTheReference() {
    ParkedTask task = parkOneHourTask();
    Instant acceptedAt = clock.instant();

    CallbackResult early = store.acceptCallback(KEY, VALUATION);
    clock.advance(Duration.ofMinutes(5));

    assertThat(early.outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
    assertThat(early.task().orElseThrow().valuationReference()).isEmpty();
    assertThat(store.recordReference(KEY, REFERENCE))
        .contains(task.withValuationReference(REFERENCE).withCallback(VALUATION, acceptedAt));
  }

  @Test
  void aCallbackQuotingAnotherReferenceThanTheValuersIsUnknown() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);

    CallbackResult result = store.acceptCallback(KEY, ValuationResult.of("val-forged", 1));

    assertThat(result.outcome()).isEqualTo(CallbackOutcome.UNKNOWN);
    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
  }

  @Test
  void aCallbackUnderAnUnknownKeyIsUnknown() {
    parkOneHourTask();

    assertThat(store.acceptCallback(CorrelationKey.of("c-other"), VALUATION).outcome())
        .isEqualTo(CallbackOutcome.UNKNOWN);
  }

  @Test
  void theSameCallbackAgainIsADuplicateInProgressUntilTheTaskIsResumed() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    store.acceptCallback(KEY, VALUATION);

    assertThat(store.acceptCallback(KEY, VALUATION).outcome())
        .isEqualTo(CallbackOutcome.DUPLICATE_IN_PROGRESS);

    store.markResumed(KEY, TOKEN);

    assertThat(store.acceptCallback(KEY, VALUATION).outcome())
        .isEqualTo(CallbackOutcome.DUPLICATE_OF_RESUMED);
    assertThat(store.acceptCallback(KEY, ValuationResult.of("val-1", 250_000)).outcome())
        .as("equal, not identical")
        .isEqualTo(CallbackOutcome.DUPLICATE_OF_RESUMED);
  }

  /**
   * A callback whose task was never resumed (the resumer failed, the process died) is in progress
   * until the task expires; its duplicate carries what it takes to try the resume again.
   */
  @Test
  void aDuplicateInProgressCarriesTheTaskAndWhenItsCallbackWasAccepted() {
    ParkedTask task = parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    Instant acceptedAt = clock.instant();
    store.acceptCallback(KEY, VALUATION);
    clock.advance(Duration.ofMinutes(10));

    CallbackResult duplicate = store.acceptCallback(KEY, VALUATION);

    assertThat(duplicate.outcome()).isEqualTo(CallbackOutcome.DUPLICATE_IN_PROGRESS);
    assertThat(duplicate.task())
        .contains(task.withValuationReference(REFERENCE).withCallback(VALUATION, acceptedAt));
    assertThat(duplicate.task().orElseThrow().callbackToResumeWith()).contains(VALUATION);
  }

  @Test
  void aDuplicateOfAnEarlyCallbackShowsThatTheReplyIsStillAwaited() {
    ParkedTask task = parkOneHourTask();
    Instant acceptedAt = clock.instant();
    store.acceptCallback(KEY, VALUATION);
    clock.advance(Duration.ofMinutes(1));

    CallbackResult duplicate = store.acceptCallback(KEY, VALUATION);

    assertThat(duplicate.outcome()).isEqualTo(CallbackOutcome.DUPLICATE_IN_PROGRESS);
    assertThat(duplicate.task()).contains(task.withCallback(VALUATION, acceptedAt));
    assertThat(duplicate.task().orElseThrow().callbackToResumeWith()).isEmpty();
  }

  @Test
  void aDifferentCallbackForTheSameValuationConflicts() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    store.acceptCallback(KEY, VALUATION);

    assertThat(store.acceptCallback(KEY, ValuationResult.of("val-1", 999_999)).outcome())
        .isEqualTo(CallbackOutcome.CONFLICTS_WITH_ACCEPTED);
    store.markResumed(KEY, TOKEN);
    assertThat(store.acceptCallback(KEY, ValuationFailure.of("val-1", "no access")).outcome())
        .isEqualTo(CallbackOutcome.CONFLICTS_WITH_ACCEPTED);
  }

  @Test
  void aResumedTaskNoLongerWaitsForAReply() {
    parkOneHourTask();
    store.acceptCallback(KEY, VALUATION);
    store.recordReference(KEY, REFERENCE);
    store.markResumed(KEY, TOKEN);

    assertThat(store.recordReference(KEY, REFERENCE)).isEmpty();
  }

  @Test
  void aCallbackAfterTheTaskExpiredIsLate() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);

    clock.advance(Duration.ofHours(1));

    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.LATE);
    assertThat(store.recordReference(KEY, REFERENCE)).isEmpty();
  }

  @Test
  void aCallbackJustBeforeExpiryIsAccepted() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);

    clock.advance(Duration.ofMinutes(59));

    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
  }

  @Test
  void aCallbackAfterTheTaskWasExpiredIsLate() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);

    store.expire(KEY, TOKEN);

    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.LATE);
  }

  @Test
  void expiringAResumedTaskKeepsItResumed() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    store.acceptCallback(KEY, VALUATION);
    store.markResumed(KEY, TOKEN);

    store.expire(KEY, TOKEN);

    assertThat(store.acceptCallback(KEY, VALUATION).outcome())
        .isEqualTo(CallbackOutcome.DUPLICATE_OF_RESUMED);
  }

  @Test
  void outcomesAreForgottenOnceTheRetentionIsOver() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    store.acceptCallback(KEY, VALUATION);
    store.markResumed(KEY, TOKEN);

    clock.advance(Duration.ofHours(1).plus(RETENTION));

    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.UNKNOWN);
  }

  @Test
  void aDiscardedEarlyCallbackMakesRoomForTheRightOne() {
    parkOneHourTask();
    ValuerCallback wrong = ValuationResult.of("val-wrong", 1);
    store.acceptCallback(KEY, wrong);
    store.recordReference(KEY, REFERENCE);

    store.discardCallback(KEY, wrong);

    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
  }

  @Test
  void aStaleEarlyCallbackDoesNotBlockTheRightOne() {
    ParkedTask task = parkOneHourTask();
    store.acceptCallback(KEY, ValuationResult.of("val-wrong", 1));
    store.recordReference(KEY, REFERENCE);
    clock.advance(Duration.ofMinutes(1));

    CallbackResult result = store.acceptCallback(KEY, VALUATION);

    assertThat(result.outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
    ParkedTask expected =
        task.withValuationReference(REFERENCE).withCallback(VALUATION, clock.instant());
    assertThat(result.task()).contains(expected);
    assertThat(store.recordReference(KEY, REFERENCE)).contains(expected);
  }

  @Test
  void aStaleEarlyFailureReportIsReplacedByTheRightResult() {
    parkOneHourTask();
    store.acceptCallback(KEY, ValuationFailure.of("val-wrong", "no access"));
    store.recordReference(KEY, REFERENCE);

    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
    assertThat(store.acceptCallback(KEY, VALUATION).task().orElseThrow().callback())
        .contains(VALUATION);
  }

  @Test
  void discardingAStaleEarlyCallbackAfterTheRightOneKeepsTheRightOne() {
    parkOneHourTask();
    ValuerCallback wrong = ValuationResult.of("val-wrong", 1);
    store.acceptCallback(KEY, wrong);
    store.recordReference(KEY, REFERENCE);
    store.acceptCallback(KEY, VALUATION);

    store.discardCallback(KEY, wrong);

    assertThat(store.acceptCallback(KEY, VALUATION).outcome())
        .isEqualTo(CallbackOutcome.DUPLICATE_IN_PROGRESS);
  }

  @Test
  void aStaleEarlyCallbackAgainAfterTheReplyIsUnknown() {
    parkOneHourTask();
    ValuerCallback wrong = ValuationResult.of("val-wrong", 1);
    store.acceptCallback(KEY, wrong);
    store.recordReference(KEY, REFERENCE);

    assertThat(store.acceptCallback(KEY, wrong).outcome()).isEqualTo(CallbackOutcome.UNKNOWN);
  }

  @Test
  void aDifferentEarlyCallbackConflictsWithTheFirst() {
    parkOneHourTask();
    store.acceptCallback(KEY, VALUATION);

    assertThat(store.acceptCallback(KEY, ValuationResult.of("val-1", 1)).outcome())
        .isEqualTo(CallbackOutcome.CONFLICTS_WITH_ACCEPTED);
    assertThat(store.acceptCallback(KEY, ValuationResult.of("val-2", 1)).outcome())
        .isEqualTo(CallbackOutcome.CONFLICTS_WITH_ACCEPTED);
  }

  @Test
  void markingAnExpiredTaskResumedLeavesItExpired() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    store.acceptCallback(KEY, VALUATION);
    store.expire(KEY, TOKEN);

    store.markResumed(KEY, TOKEN);

    assertThat(store.acceptCallback(KEY, VALUATION).outcome()).isEqualTo(CallbackOutcome.LATE);
  }

  @Test
  void aTaskResumedJustAfterItsExpiryIsResumed() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    store.acceptCallback(KEY, VALUATION);
    clock.advance(Duration.ofHours(1));

    store.markResumed(KEY, TOKEN);

    assertThat(store.acceptCallback(KEY, VALUATION).outcome())
        .isEqualTo(CallbackOutcome.DUPLICATE_OF_RESUMED);
  }

  @Test
  void aFailureReportIsACallbackLikeAnyOther() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    ValuationFailure failure = ValuationFailure.of("val-1", "Property could not be accessed");

    assertThat(store.acceptCallback(KEY, failure).task().orElseThrow().callback())
        .contains(failure);
    assertThat(store.acceptCallback(KEY, failure).outcome())
        .isEqualTo(CallbackOutcome.DUPLICATE_IN_PROGRESS);
  }

  /** A task parked for an hour under the key, its reply recorded, its callback accepted now. */
  private ParkedTask acceptedUnder(String key) {
    ParkedTask task =
        aParkedTask()
            .withKey(key)
            .withToken("token-" + key)
            .expiringAt(clock.instant().plus(Duration.ofHours(1)))
            .build();
    store.park(task);
    store.recordReference(task.key(), REFERENCE);
    Instant acceptedAt = clock.instant();
    assertThat(store.acceptCallback(task.key(), VALUATION).outcome())
        .isEqualTo(CallbackOutcome.ACCEPTED);
    return task.withValuationReference(REFERENCE).withCallback(VALUATION, acceptedAt);
  }

  @Test
  void aCallbackAcceptedButNeverResumedIsStranded() {
    ParkedTask accepted = acceptedUnder(KEY.value());
    clock.advance(Duration.ofMinutes(1));

    assertThat(store.strandedCallbacks(clock.instant(), 10)).containsExactly(accepted);
    assertThat(accepted.callbackToResumeWith()).contains(VALUATION);
  }

  @Test
  void onlyCallbacksAcceptedBeforeTheInstantAreStranded() {
    acceptedUnder(KEY.value());
    Instant acceptedAt = clock.instant();

    assertThat(store.strandedCallbacks(acceptedAt, 10)).isEmpty();
    assertThat(store.strandedCallbacks(acceptedAt.plusMillis(1), 10)).hasSize(1);
  }

  @Test
  void aResumedExpiredOrDiscardedCallbackIsNotStranded() {
    acceptedUnder("c-resumed");
    acceptedUnder("c-expired");
    acceptedUnder("c-discarded");
    ParkedTask waiting = acceptedUnder("c-waiting");
    store.markResumed(CorrelationKey.of("c-resumed"), TaskToken.of("token-c-resumed"));
    store.expire(CorrelationKey.of("c-expired"), TaskToken.of("token-c-expired"));
    store.discardCallback(CorrelationKey.of("c-discarded"), VALUATION);
    clock.advance(Duration.ofMinutes(1));

    assertThat(store.strandedCallbacks(clock.instant(), 10)).containsExactly(waiting);
  }

  @Test
  void aCallbackWhoseTaskTimedOutIsNotStranded() {
    acceptedUnder(KEY.value());

    clock.advance(Duration.ofHours(1));

    assertThat(store.strandedCallbacks(clock.instant(), 10)).isEmpty();
  }

  @Test
  void anEarlyCallbackIsStrandedOnlyOnceTheReplyNamesItsReference() {
    ParkedTask task = parkOneHourTask();
    Instant acceptedAt = clock.instant();
    store.acceptCallback(KEY, VALUATION);
    clock.advance(Duration.ofMinutes(1));

    assertThat(store.strandedCallbacks(clock.instant(), 10)).as("awaiting the reply").isEmpty();

    store.recordReference(KEY, REFERENCE);

    assertThat(store.strandedCallbacks(clock.instant(), 10))
        .containsExactly(
            task.withValuationReference(REFERENCE).withCallback(VALUATION, acceptedAt));
  }

  @Test
  void aStaleEarlyCallbackIsNotStranded() {
    parkOneHourTask();
    store.acceptCallback(KEY, ValuationResult.of("val-wrong", 1));
    store.recordReference(KEY, REFERENCE);
    clock.advance(Duration.ofMinutes(1));

    assertThat(store.strandedCallbacks(clock.instant(), 10)).isEmpty();
  }

  @Test
  void aCallbackHeldForALaterAttemptIsStrandedWithThatAttemptsToken() {
    acceptedUnder(KEY.value());
    ParkedTask later =
        aParkedTask()
            .withKey(KEY.value())
            .withToken("token-later")
            .expiringAt(clock.instant().plus(Duration.ofHours(2)))
            .build();
    store.park(later);
    clock.advance(Duration.ofMinutes(1));

    assertThat(store.strandedCallbacks(clock.instant(), 10))
        .singleElement()
        .satisfies(task -> assertThat(task.token()).isEqualTo(later.token()));
  }

  @Test
  void strandedCallbacksComeAtMostTheLimitAtATime() {
    for (int i = 0; i < 7; i++) {
      acceptedUnder("c-stranded-" + i);
    }
    clock.advance(Duration.ofMinutes(1));

    List<ParkedTask> first = store.strandedCallbacks(clock.instant(), 5);
    first.forEach(task -> store.markResumed(task.key(), task.token()));
    List<ParkedTask> rest = store.strandedCallbacks(clock.instant(), 5);

    assertThat(first).hasSize(5);
    assertThat(rest).hasSize(2).doesNotContainAnyElementsOf(first);
  }

  @Test
  void aFailureReportCanBeStrandedToo() {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    ValuationFailure failure = ValuationFailure.of("val-1", "no access");
    store.acceptCallback(KEY, failure);
    clock.advance(Duration.ofMinutes(1));

    assertThat(store.strandedCallbacks(clock.instant(), 10))
        .singleElement()
        .satisfies(task -> assertThat(task.callbackToResumeWith()).contains(failure));
  }

  @Test
  void ofConcurrentIdenticalCallbacksExactlyOneIsAccepted() throws Exception {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);

    List<CallbackResult> results = race(() -> store.acceptCallback(KEY, VALUATION));

    assertThat(results.stream().filter(r -> r.outcome() == CallbackOutcome.ACCEPTED)).hasSize(1);
    assertThat(results.stream().filter(r -> r.outcome() == CallbackOutcome.DUPLICATE_IN_PROGRESS))
        .hasSize(RACERS - 1)
        .allSatisfy(r -> assertThat(r.task().orElseThrow().callback()).contains(VALUATION));
  }

  @Test
  void ofConcurrentDifferentCallbacksExactlyOneIsAccepted() throws Exception {
    parkOneHourTask();
    store.recordReference(KEY, REFERENCE);
    AtomicInteger value = new AtomicInteger(100_000);

    List<CallbackResult> results =
        race(() -> store.acceptCallback(KEY, ValuationResult.of("val-1", value.incrementAndGet())));

    assertThat(results.stream().filter(r -> r.outcome() == CallbackOutcome.ACCEPTED)).hasSize(1);
    assertThat(results.stream().filter(r -> r.outcome() == CallbackOutcome.CONFLICTS_WITH_ACCEPTED))
        .hasSize(RACERS - 1);
  }

  @Test
  void ofConcurrentParksOfOneTokenExactlyOneWins() throws Exception {
    List<ParkOutcome> outcomes =
        race(() -> store.park(aParkedTask().withKey("c-race").withToken("t-race").build()));

    assertThat(outcomes).containsOnlyOnce(ParkOutcome.PARKED);
  }

  /**
   * The reply and the callback race; whichever is recorded second must see the other, so that
   * exactly one of the two callers resumes the task.
   */
  @Test
  void whenReplyAndCallbackRaceExactlyOneSideSeesBoth() throws Exception {
    for (int round = 0; round < 50; round++) {
      CorrelationKey key = CorrelationKey.of("c-round-" + round);
      store.park(aParkedTask().withKey(key.value()).build());
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Optional<ParkedTask>> reply =
            pool.submit(
                () -> {
                  start.await();
                  return store.recordReference(key, REFERENCE);
                });
        Future<CallbackResult> callback =
            pool.submit(
                () -> {
                  start.await();
                  return store.acceptCallback(key, VALUATION);
                });
        start.countDown();
        boolean replySawCallback = reply.get().orElseThrow().callback().isPresent();
        boolean callbackSawReply =
            callback.get().task().orElseThrow().valuationReference().isPresent();
        assertThat(replySawCallback ^ callbackSawReply).as("round %d", round).isTrue();
      } finally {
        pool.shutdownNow();
      }
    }
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
