package com.valuationflow.inmemory;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.RememberedTask;
import com.valuationflow.domain.port.TaskTokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link TaskTokenStore} in a concurrent map, for tests and the in-memory app. Every change is
 * one atomic {@code compute} on the task's entry. At most once a minute, while parking, a sweep
 * drops the tokens of expired tasks and the entries whose retention is over; and at most {@code
 * capacity} tasks that no longer wait are remembered, those that stopped waiting first forgotten
 * first. Waiting tasks are never forgotten. Each application's valuation key lives in a second map
 * and is forgotten with its task.
 */
public final class InMemoryTaskTokenStore implements TaskTokenStore {

  /** How long outcomes are remembered after a task's expiry, unless told otherwise. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** How many tasks that no longer wait are remembered at most, unless told otherwise. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

  private final ConcurrentMap<CorrelationKey, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentMap<ApplicationReference, ValuationKey> valuationKeys =
      new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration retention;
  private final AtomicReference<Instant> nextSweep;
  private final int capacity;
  private final Deque<CorrelationKey> stoppedWaiting = new ArrayDeque<>(); // guarded by itself

  public InMemoryTaskTokenStore(Clock clock) {
    this(clock, DEFAULT_RETENTION);
  }

  public InMemoryTaskTokenStore(Clock clock, Duration retention) {
    this(clock, retention, DEFAULT_CAPACITY);
  }

  /**
   * @param retention how long after a task's expiry its outcome is remembered, so that repeated and
   *     late callbacks are told apart from unknown ones
   * @param capacity how many tasks that no longer wait are remembered at most
   */
  public InMemoryTaskTokenStore(Clock clock, Duration retention, int capacity) {
    this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    this.retention = Objects.requireNonNull(retention, "'retention' must not be null");
    if (capacity < 1) {
      throw new IllegalArgumentException("'capacity' must be positive, was " + capacity);
    }
    this.capacity = capacity;
    this.nextSweep = new AtomicReference<>(clock.instant().plus(SWEEP_INTERVAL));
  }

  /** An application's valuation key, and when it may be forgotten. */
  private record ValuationKey(CorrelationKey key, Instant forgetAt) {}

  /** How a task stopped waiting, if it did. */
  private enum Closure {
    OPEN,
    RESUMED,
    EXPIRED
  }

  /**
   * One task's record; {@code token} is empty once the task was resumed or stopped waiting, or its
   * expiry passed and a sweep dropped it.
   */
  private record Entry(
      CorrelationKey key,
      Optional<TaskToken> token,
      ApplicationReference applicationReference,
      Instant expiresAt,
      Optional<ValuationReference> valuationReference,
      Optional<ValuerCallback> callback,
      Optional<Instant> acceptedAt,
      Closure closure) {

    static Entry of(ParkedTask task) {
      return new Entry(
          task.key(),
          Optional.of(task.token()),
          task.applicationReference(),
          task.expiresAt(),
          task.valuationReference(),
          task.callback(),
          task.acceptedAt(),
          Closure.OPEN);
    }

    boolean waitingAt(Instant now) {
      return token.isPresent() && now.isBefore(expiresAt);
    }

    RememberedTask remembered(Instant now) {
      return new RememberedTask(
          valuationReference, callback, closure == Closure.RESUMED, waitingAt(now));
    }

    ParkedTask task() {
      return new ParkedTask(
          key,
          token.orElseThrow(),
          applicationReference,
          expiresAt,
          valuationReference,
          callback,
          acceptedAt);
    }

    Entry withReference(ValuationReference reference) {
      return new Entry(
          key,
          token,
          applicationReference,
          expiresAt,
          Optional.of(reference),
          callback,
          acceptedAt,
          closure);
    }

    Entry withCallback(Optional<ValuerCallback> accepted, Optional<Instant> at) {
      return new Entry(
          key, token, applicationReference, expiresAt, valuationReference, accepted, at, closure);
    }

    /** The entry with a later attempt's token and expiry; the valuation so far stays. */
    Entry reparked(ParkedTask task) {
      return new Entry(
          key,
          Optional.of(task.token()),
          applicationReference,
          task.expiresAt(),
          valuationReference,
          callback,
          acceptedAt,
          closure);
    }

    /** Whether the token is of a later attempt of this entry's task, which it may then hold. */
    boolean takesLaterAttempt(TaskToken other) {
      return closure == Closure.OPEN && !token.filter(other::equals).isPresent();
    }

    /** Whether the entry may be closed by who waited on the token: it holds that one or none. */
    boolean closableBy(TaskToken other) {
      return token.isEmpty() || token.get().equals(other);
    }

    Entry withoutToken() {
      return new Entry(
          key,
          Optional.empty(),
          applicationReference,
          expiresAt,
          valuationReference,
          callback,
          acceptedAt,
          closure);
    }

    /** The entry closed as given, unless it was closed already; the token goes either way. */
    Entry closed(Closure how) {
      return new Entry(
          key,
          Optional.empty(),
          applicationReference,
          expiresAt,
          valuationReference,
          callback,
          acceptedAt,
          closure == Closure.OPEN ? how : closure);
    }
  }

  @Override
  public CorrelationKey valuationKeyFor(
      ApplicationReference application, CorrelationKey proposed, Instant expiresAt) {
    Objects.requireNonNull(application, "'application' must not be null");
    Objects.requireNonNull(proposed, "'proposed' must not be null");
    Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
    Instant now = clock.instant();
    return valuationKeys
        .merge(
            application,
            new ValuationKey(proposed, expiresAt.plus(retention)),
            (existing, candidate) -> now.isBefore(existing.forgetAt()) ? existing : candidate)
        .key();
  }

  @Override
  public ParkOutcome park(ParkedTask task) {
    Objects.requireNonNull(task, "'task' must not be null");
    if (task.valuationReference().isPresent() || task.callback().isPresent()) {
      throw new IllegalArgumentException(
          "a task is parked before anything of its valuation is known");
    }
    Instant now = clock.instant();
    sweepIfDue(now);
    AtomicBoolean parked = new AtomicBoolean(true);
    entries.merge(
        task.key(),
        Entry.of(task),
        (existing, candidate) -> {
          if (forgotten(existing, now)) {
            return candidate;
          }
          if (existing.takesLaterAttempt(task.token())) {
            return existing.reparked(task);
          }
          parked.set(false);
          return existing;
        });
    return parked.get() ? ParkOutcome.PARKED : ParkOutcome.KEY_ALREADY_IN_USE;
  }

  @Override
  public Optional<ParkedTask> waitingTask(CorrelationKey key) {
    Objects.requireNonNull(key, "'key' must not be null");
    Entry entry = entries.get(key);
    return entry != null && entry.waitingAt(clock.instant())
        ? Optional.of(entry.task())
        : Optional.empty();
  }

  @Override
  public Optional<ParkedTask> recordReference(CorrelationKey key, ValuationReference reference) {
    Objects.requireNonNull(reference, "'reference' must not be null");
    Instant now = clock.instant();
    AtomicReference<ParkedTask> recorded = new AtomicReference<>();
    entries.computeIfPresent(
        key,
        (k, entry) -> {
          if (!entry.waitingAt(now)
              || entry.valuationReference().filter(r -> !r.equals(reference)).isPresent()) {
            return entry;
          }
          Entry updated = entry.withReference(reference);
          recorded.set(updated.task());
          return updated;
        });
    return Optional.ofNullable(recorded.get());
  }

  @Override
  public CallbackResult acceptCallback(CorrelationKey key, ValuerCallback callback) {
    Objects.requireNonNull(callback, "'callback' must not be null");
    Instant now = clock.instant();
    AtomicReference<CallbackResult> result =
        new AtomicReference<>(CallbackResult.of(CallbackOutcome.UNKNOWN));
    entries.computeIfPresent(
        key,
        (k, entry) -> {
          if (forgotten(entry, now)) {
            return entry;
          }
          CallbackOutcome outcome = entry.remembered(now).judge(callback);
          if (outcome == CallbackOutcome.ACCEPTED) {
            Entry updated = entry.withCallback(Optional.of(callback), Optional.of(now));
            result.set(CallbackResult.accepted(updated.task()));
            return updated;
          }
          result.set(
              outcome == CallbackOutcome.DUPLICATE_IN_PROGRESS
                  ? CallbackResult.inProgress(entry.task())
                  : CallbackResult.of(outcome));
          return entry;
        });
    return result.get();
  }

  @Override
  public void discardCallback(CorrelationKey key, ValuerCallback callback) {
    Objects.requireNonNull(callback, "'callback' must not be null");
    entries.computeIfPresent(
        key,
        (k, entry) ->
            entry.closure() != Closure.RESUMED
                    && entry.callback().filter(callback::equals).isPresent()
                ? entry.withCallback(Optional.empty(), Optional.empty())
                : entry);
  }

  @Override
  public void markResumed(CorrelationKey key, TaskToken token) {
    close(key, token, Closure.RESUMED);
  }

  @Override
  public void expire(CorrelationKey key, TaskToken token) {
    close(key, token, Closure.EXPIRED);
  }

  /**
   * The task with this application's valuation stopped waiting on the token, as the engine reports
   * it: {@linkplain #expire expires} it, if the application has a valuation key.
   */
  public void expire(ApplicationReference application, TaskToken token) {
    ValuationKey valuationKey = valuationKeys.get(application);
    if (valuationKey != null) {
      expire(valuationKey.key(), token);
    }
  }

  private void close(CorrelationKey key, TaskToken token, Closure how) {
    Objects.requireNonNull(key, "'key' must not be null");
    Objects.requireNonNull(token, "'token' must not be null");
    AtomicBoolean tokenDropped = new AtomicBoolean();
    entries.computeIfPresent(
        key,
        (k, entry) -> {
          if (!entry.closableBy(token)) {
            return entry;
          }
          tokenDropped.set(entry.token().isPresent());
          return entry.closed(how);
        });
    if (tokenDropped.get()) {
      stoppedWaiting(key);
    }
  }

  @Override
  public List<ParkedTask> strandedCallbacks(Instant acceptedBefore, int limit) {
    Objects.requireNonNull(acceptedBefore, "'acceptedBefore' must not be null");
    if (limit < 1) {
      throw new IllegalArgumentException("'limit' must be positive, was " + limit);
    }
    Instant now = clock.instant();
    return entries.values().stream()
        .filter(entry -> entry.closure() == Closure.OPEN && entry.waitingAt(now))
        .filter(entry -> entry.acceptedAt().filter(acceptedBefore::isAfter).isPresent())
        .map(Entry::task)
        .filter(task -> task.callbackToResumeWith().isPresent())
        .limit(limit)
        .toList();
  }

  /** Remembers that the task stopped waiting, and forgets the oldest such beyond the capacity. */
  private void stoppedWaiting(CorrelationKey key) {
    synchronized (stoppedWaiting) {
      stoppedWaiting.addLast(key);
      while (stoppedWaiting.size() > capacity) {
        entries.computeIfPresent(
            stoppedWaiting.pollFirst(),
            (k, entry) -> {
              if (entry.token().isPresent()) {
                return entry;
              }
              forgetValuationKey(entry);
              return null;
            });
      }
    }
  }

  private void forgetValuationKey(Entry entry) {
    valuationKeys.computeIfPresent(
        entry.applicationReference(),
        (application, valuationKey) ->
            valuationKey.key().equals(entry.key()) ? null : valuationKey);
  }

  /** How many tasks are remembered, waiting or not. */
  public int size() {
    return entries.size();
  }

  /** How many tasks still hold a token. */
  public long tokensHeld() {
    return entries.values().stream().filter(entry -> entry.token().isPresent()).count();
  }

  private boolean forgotten(Entry entry, Instant now) {
    return !now.isBefore(entry.expiresAt().plus(retention));
  }

  private void sweepIfDue(Instant now) {
    Instant due = nextSweep.get();
    if (now.isBefore(due) || !nextSweep.compareAndSet(due, now.plus(SWEEP_INTERVAL))) {
      return;
    }
    for (CorrelationKey key : entries.keySet()) {
      AtomicBoolean tokenDropped = new AtomicBoolean();
      entries.computeIfPresent(
          key,
          (k, entry) -> {
            boolean expired = entry.token().isPresent() && !entry.waitingAt(now);
            tokenDropped.set(expired);
            return expired ? entry.withoutToken() : entry;
          });
      if (tokenDropped.get()) {
        stoppedWaiting(key);
      }
    }
    entries.values().removeIf(entry -> forgotten(entry, now));
    valuationKeys.values().removeIf(valuationKey -> !now.isBefore(valuationKey.forgetAt()));
    synchronized (stoppedWaiting) {
      stoppedWaiting.removeIf(key -> !entries.containsKey(key));
    }
  }
}
