package com.valuationflow.app.mockvaluer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  private static final RetrySchedule SCHEDULE =
      new RetrySchedule(8, Duration.ofMillis(100), Duration.ofMillis(1_000));

  @Test
  void theCeilingDoublesFromTheBaseUntilTheCap() {
    assertThat(IntStream.rangeClosed(1, 7).mapToObj(SCHEDULE::ceilingAfter).toList())
        .containsExactlyElementsOf(
            LongStream.of(100, 200, 400, 800, 1_000, 1_000, 1_000)
                .mapToObj(Duration::ofMillis)
                .toList());
  }

  @Test
  void theCeilingNeverOverflowsPastTheCap() {
    RetrySchedule slow = new RetrySchedule(1_000, Duration.ofDays(1), Duration.ofDays(7));

    assertThat(slow.ceilingAfter(64)).isEqualTo(Duration.ofDays(7));
    assertThat(slow.ceilingAfter(999)).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void eachWaitIsDrawnFromZeroToItsCeilingBothIncluded() {
    assertThat(SCHEDULE.delayAfter(3, lowest())).isZero();
    assertThat(SCHEDULE.delayAfter(3, highest())).isEqualTo(Duration.ofMillis(400));
    assertThat(SCHEDULE.delayAfter(7, highest())).isEqualTo(Duration.ofMillis(1_000));
  }

  @Test
  void theJitterSpreadsWaitsOverTheWholeRange() {
    Random random = new Random(42);

    List<Long> waits =
        IntStream.range(0, 2_000).mapToObj(i -> SCHEDULE.delayAfter(4, random).toMillis()).toList();

    assertThat(waits).allSatisfy(wait -> assertThat(wait).isBetween(0L, 800L));
    assertThat(waits).anySatisfy(wait -> assertThat(wait).isLessThan(80L));
    assertThat(waits).anySatisfy(wait -> assertThat(wait).isGreaterThan(720L));
    assertThat(waits.stream().distinct().count()).isGreaterThan(400);
  }

  @Test
  void itGivesUpAfterTheLastAttempt() {
    assertThat(IntStream.rangeClosed(1, 9).mapToObj(SCHEDULE::allowsAnotherAfter).toList())
        .containsExactly(true, true, true, true, true, true, true, false, false);
    assertThat(
            new RetrySchedule(1, Duration.ofMillis(1), Duration.ofMillis(1)).allowsAnotherAfter(1))
        .as("one attempt: no retries")
        .isFalse();
  }

  @Test
  void theDefaultIsEightAttemptsFromOneSecondToFiveMinutes() {
    assertThat(RetrySchedule.DEFAULT)
        .isEqualTo(new RetrySchedule(8, Duration.ofSeconds(1), Duration.ofMinutes(5)));
    assertThat(RetrySchedule.DEFAULT.ceilingAfter(7)).isEqualTo(Duration.ofSeconds(64));
  }

  @Test
  void nonsenseIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RetrySchedule(0, Duration.ofMillis(1), Duration.ofMillis(1)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RetrySchedule(3, Duration.ZERO, Duration.ofMillis(1)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RetrySchedule(3, Duration.ofMillis(10), Duration.ofMillis(5)));
    assertThatIllegalArgumentException().isThrownBy(() -> SCHEDULE.ceilingAfter(0));
  }

  private static RandomGenerator lowest() {
    return drawing(bound -> 0);
  }

  private static RandomGenerator highest() {
    return drawing(bound -> bound - 1);
  }

  /** A generator whose bounded draws are this function of the bound. */
  private static RandomGenerator drawing(LongUnaryOperator ofBound) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("only bounded draws");
      }

      @Override
      public long nextLong(long bound) {
        return ofBound.applyAsLong(bound);
      }
    };
  }
}
