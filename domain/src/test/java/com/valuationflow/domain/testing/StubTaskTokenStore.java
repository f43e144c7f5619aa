package com.valuationflow.domain.testing;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.CorrelationKey;
import com.valuationflow.domain.model.ParkedTask;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.ValuationReference;
import com.valuationflow.domain.model.ValuerCallback;
import com.valuationflow.domain.port.TaskTokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link TaskTokenStore} that answers as a test tells it to and records what it was asked, for
 * testing the use cases' decisions one store outcome at a time.
 */
public final class StubTaskTokenStore implements TaskTokenStore {

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile ParkOutcome parkOutcome = ParkOutcome.PARKED;
  private volatile Optional<ParkedTask> recordOutcome = Optional.empty();
  private volatile CallbackResult callbackOutcome = CallbackResult.of(CallbackOutcome.UNKNOWN);
  private volatile ParkedTask lastParked;
  private volatile CorrelationKey valuationKey;
  private volatile Optional<ParkedTask> waitingTask = Optional.empty();
  private volatile List<ParkedTask> stranded = List.of();

  public StubTaskTokenStore parkAnswers(ParkOutcome outcome) {
    this.parkOutcome = outcome;
    return this;
  }

  /** Answers {@link #recordReference} with the task last parked, updated as a store would. */
  public StubTaskTokenStore recordReferenceAnswersParkedTask() {
    this.recordOutcome = null;
    return this;
  }

  public StubTaskTokenStore recordReferenceAnswers(Optional<ParkedTask> outcome) {
    this.recordOutcome = outcome;
    return this;
  }

  public StubTaskTokenStore acceptCallbackAnswers(CallbackResult outcome) {
    this.callbackOutcome = outcome;
    return this;
  }

  /** Answers {@link #strandedCallbacks} with these tasks (at most the limit asked). */
  public StubTaskTokenStore strandedCallbacksAnswer(List<ParkedTask> tasks) {
    this.stranded = List.copyOf(tasks);
    return this;
  }

  /** Every call as {@code method(key)} or {@code method(key, argument)}, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  public ParkedTask lastParked() {
    return lastParked;
  }

  /** Answers {@link #valuationKeyFor} with this key, or the proposed one if none is set. */
  public StubTaskTokenStore valuationKeyAnswers(CorrelationKey key) {
    this.valuationKey = key;
    return this;
  }

  public StubTaskTokenStore waitingTaskAnswers(Optional<ParkedTask> task) {
    this.waitingTask = task;
    return this;
  }

  @Override
  public CorrelationKey valuationKeyFor(
      ApplicationReference application, CorrelationKey proposed, Instant expiresAt) {
    calls.add("valuationKeyFor(" + application + ")");
    return valuationKey == null ? proposed : valuationKey;
  }

  @Override
  public ParkOutcome park(ParkedTask task) {
    calls.add("park(" + task.key() + ")");
    lastParked = task;
    return parkOutcome;
  }

  @Override
  public Optional<ParkedTask> recordReference(CorrelationKey key, ValuationReference reference) {
    calls.add("recordReference(" + key + ", " + reference + ")");
    return recordOutcome == null
        ? Optional.of(lastParked.withValuationReference(reference))
        : recordOutcome;
  }

  @Override
  public CallbackResult acceptCallback(CorrelationKey key, ValuerCallback callback) {
    calls.add("acceptCallback(" + key + ", " + callback.valuationReference() + ")");
    return callbackOutcome;
  }

  @Override
  public void discardCallback(CorrelationKey key, ValuerCallback callback) {
    calls.add("discardCallback(" + key + ", " + callback.valuationReference() + ")");
  }

  @Override
  public void markResumed(CorrelationKey key, TaskToken token) {
    calls.add("markResumed(" + key + ")");
  }

  @Override
  public void expire(CorrelationKey key, TaskToken token) {
    calls.add("expire(" + key + ")");
  }

  @Override
  public Optional<ParkedTask> waitingTask(CorrelationKey key) {
    calls.add("waitingTask(" + key + ")");
    return waitingTask;
  }

  @Override
  public List<ParkedTask> strandedCallbacks(Instant acceptedBefore, int limit) {
    calls.add("strandedCallbacks(" + acceptedBefore + ", " + limit + ")");
    return stranded.subList(0, Math.min(limit, stranded.size()));
  }
}
