package com.valuationflow.app.benchmark;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** CPU time of this process and of others. */
public final class Cpu {

  private Cpu() {}

  /** This process's CPU time so far ({@code OperatingSystemMXBean.getProcessCpuTime}). */
  public static long ownProcessNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Another process's CPU time so far (user and system), as the OS reports it. */
  public static long processNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /**
   * The CPU time so far of this process and of the processes it started, theirs and their
   * descendants', those still running, but one: such as the load generator with the local services
   * it started, without the server under test.
   */
  public static long ownProcessAndDescendantsNanos(long exceptPid) {
    return ownProcessNanos()
        + ProcessHandle.current()
            .descendants()
            .filter(process -> process.pid() != exceptPid)
            .mapToLong(Cpu::processNanos)
            .sum();
  }
}
