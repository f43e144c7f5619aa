package com.valuationflow.app.benchmark;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** CPU time of this process and of another. */
final class Cpu {

  private Cpu() {}

  /** This process's CPU time so far ({@code OperatingSystemMXBean.getProcessCpuTime}). */
  static long ownProcessNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Another process's CPU time so far (user and system), as the OS reports it. */
  static long processNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
