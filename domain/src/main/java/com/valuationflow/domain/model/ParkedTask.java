package com.valuationflow.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A task token waiting for a valuer's callback, and what is known so far of its valuation.
 *
 * @param key our correlation key, carried in the callback URL
 * @param expiresAt when the waiting task times out; callbacks after that are late
 * @param valuationReference the valuer's reference, once its reply to our request arrived
 * @param callback the callback accepted for this task, if one arrived; it may arrive before the
 *     valuer's reply (an early callback)
 * @param acceptedAt when the store accepted the callback; stores always keep it with the callback
 */
public record ParkedTask(
    CorrelationKey key,
    TaskToken token,
    ApplicationReference applicationReference,
    Instant expiresAt,
    Optional<ValuationReference> valuationReference,
    Optional<ValuerCallback> callback,
    Optional<Instant> acceptedAt) {

  public ParkedTask {
    Objects.requireNonNull(key, "'key' must not be null");
    Objects.requireNonNull(token, "'token' must not be null");
    Objects.requireNonNull(applicationReference, "'applicationReference' must not be null");
    Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
    Objects.requireNonNull(valuationReference, "'valuationReference' must not be null");
    Objects.requireNonNull(callback, "'callback' must not be null");
    Objects.requireNonNull(acceptedAt, "'acceptedAt' must not be null");
    if (acceptedAt.isPresent() && callback.isEmpty()) {
      throw new IllegalArgumentException("'acceptedAt' comes only with a callback");
    }
  }

  /** A token just parked: the valuer has not been asked yet. */
  public static ParkedTask awaitingReply(
      CorrelationKey key,
      TaskToken token,
      ApplicationReference applicationReference,
      Instant expiresAt) {
    return new ParkedTask(
        key,
        token,
        applicationReference,
        expiresAt,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public ParkedTask withValuationReference(ValuationReference reference) {
    return new ParkedTask(
        key, token, applicationReference, expiresAt, Optional.of(reference), callback, acceptedAt);
  }

  /** The task with a callback accepted at the given time. */
  public ParkedTask withCallback(ValuerCallback accepted, Instant at) {
    return new ParkedTask(
        key,
        token,
        applicationReference,
        expiresAt,
        valuationReference,
        Optional.of(accepted),
        Optional.of(at));
  }

  /** The task with a callback, when it was accepted does not matter (as in tests). */
  public ParkedTask withCallback(ValuerCallback accepted) {
    return new ParkedTask(
        key,
        token,
        applicationReference,
        expiresAt,
        valuationReference,
        Optional.of(accepted),
        Optional.empty());
  }

  public ParkedTask withoutCallback() {
    return new ParkedTask(
        key,
        token,
        applicationReference,
        expiresAt,
        valuationReference,
        Optional.empty(),
        Optional.empty());
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /**
   * Whether the callback may belong to this task: its reference is the valuer's, or not yet known.
   */
  public boolean admits(ValuerCallback candidate) {
    return valuationReference.map(candidate.valuationReference()::equals).orElse(true);
  }

  /** The callback, if one is accepted and matches the valuer's reference: time to resume. */
  public Optional<ValuerCallback> callbackToResumeWith() {
    return valuationReference.isPresent() ? callback.filter(this::admits) : Optional.empty();
  }
}
