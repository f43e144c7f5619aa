package com.valuationflow.infra.local.lambda;

import com.valuationflow.infra.local.AwsServiceError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The execution environments of one function: a warm one for each invocation when there is one, a
 * new one when all are busy, up to a cap beyond which invocations wait for one to be free.
 */
final class FunctionPool implements AutoCloseable {

  private final FunctionConfig function;
  private final RuntimeCommand command;
  private final FunctionLog log;
  private final ScheduledExecutorService timers;
  private final int maxInstances;
  private final Deque<RuntimeInstance> idle = new ArrayDeque<>();
  private final Set<RuntimeInstance> instances = new HashSet<>();
  private int started;
  private boolean closed;

  FunctionPool(
      FunctionConfig function,
      RuntimeCommand command,
      FunctionLog log,
      ScheduledExecutorService timers,
      int maxInstances) {
    this.function = function;
    this.command = command;
    this.log = log;
    this.timers = timers;
    this.maxInstances = maxInstances;
  }

  FunctionConfig function() {
    return function;
  }

  InvokeResult invoke(String requestId, byte[] payload, String invokedArn) {
    RuntimeInstance instance = acquire();
    try {
      return instance.invoke(requestId, payload, invokedArn);
    } finally {
      release(instance);
    }
  }

  /** The most recently used idle environment, else a new one, else the first one freed. */
  private synchronized RuntimeInstance acquire() {
    while (true) {
      if (closed) {
        throw new AwsServiceError("ServiceException", "The local Lambda service stopped", 500);
      }
      RuntimeInstance instance;
      while ((instance = idle.pollFirst()) != null) {
        if (instance.alive()) {
          return instance;
        }
        discard(instance);
      }
      if (instances.size() < maxInstances) {
        started++;
        instance = new RuntimeInstance(function, "i" + started, command, log, timers);
        instances.add(instance);
        return instance;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AwsServiceError(
            "ServiceException", "Interrupted waiting for " + function.name(), 500);
      }
    }
  }

  private synchronized void release(RuntimeInstance instance) {
    if (instance.alive() && !closed) {
      idle.addFirst(instance);
    } else {
      discard(instance);
    }
    notifyAll();
  }

  private void discard(RuntimeInstance instance) {
    instances.remove(instance);
    idle.remove(instance);
    instance.close();
  }

  /** Stops the idle environments, as Lambda reclaims them: the next invocation starts cold. */
  void recycleIdle() {
    List<RuntimeInstance> reclaimed;
    synchronized (this) {
      reclaimed = new ArrayList<>(idle);
      reclaimed.forEach(instances::remove);
      idle.clear();
      notifyAll();
    }
    reclaimed.forEach(RuntimeInstance::close);
  }

  /** How many environments the function has now, busy or idle. */
  synchronized int size() {
    return instances.size();
  }

  @Override
  public void close() {
    List<RuntimeInstance> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(instances);
      instances.clear();
      idle.clear();
      notifyAll();
    }
    all.forEach(RuntimeInstance::close);
  }
}
