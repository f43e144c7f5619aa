package com.valuationflow.app.logging;

import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * Fields every line logged by a piece of work carries, such as the {@code webhook-id} of the
 * callback being handled. Vert.x runs many requests on one thread, so the fields are set around a
 * synchronous piece of work only, and restored when it returns or throws: they never leak into
 * another request's lines.
 */
public final class LogFields {

  /** The loan application's reference. */
  public static final String APPLICATION_REFERENCE = "applicationReference";

  /** The {@code webhook-id} of the callback being handled. */
  public static final String WEBHOOK_ID = "webhookId";

  private LogFields() {}

  /** Runs the work with the field set (a {@code null} value: left as it was), then restores it. */
  public static <T> T with(String key, String value, Callable<T> work) throws Exception {
    if (value == null) {
      return work.call();
    }
    String previous = MDC.get(key);
    MDC.put(key, value);
    try {
      return work.call();
    } finally {
      if (previous == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, previous);
      }
    }
  }

  /** As {@link #with(String, String, Callable)}, for work that throws no checked exception. */
  public static void with(String key, String value, Runnable work) {
    try {
      with(
          key,
          value,
          () -> {
            work.run();
            return null;
          });
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The work, to be run later (on a worker thread, say) with the field set. */
  public static <T> Callable<T> around(String key, String value, Callable<T> work) {
    return () -> with(key, value, work);
  }
}
