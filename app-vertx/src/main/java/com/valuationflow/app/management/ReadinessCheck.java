package com.valuationflow.app.management;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One dependency readiness depends on: a cheap, blocking call that throws when the dependency
 * cannot serve, such as {@code DescribeTable}.
 *
 * @param name the check's name in {@code /health/ready}'s answer
 * @param probe the call; its result is ignored
 */
public record ReadinessCheck(String name, Callable<?> probe) {

  public ReadinessCheck {
    Objects.requireNonNull(name, "'name' must not be null");
    Objects.requireNonNull(probe, "'probe' must not be null");
  }
}
