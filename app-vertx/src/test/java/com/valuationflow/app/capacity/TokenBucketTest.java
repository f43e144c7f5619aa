package com.valuationflow.app.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.valuationflow.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  private long taken(TokenBucket bucket, int tries) {
    return IntStream.range(0, tries).filter(i -> bucket.tryTake()).count();
  }

  @Test
  void startsFullAndGivesNoMoreThanItsBurst() {
    TokenBucket bucket = new TokenBucket(3000, 500, clock);

    assertThat(taken(bucket, 5000)).isEqualTo(3000);
    assertThat(bucket.tryTake()).isFalse();
  }

  @Test
  void refillsAtItsRateAndTellsHowLongUntilTheNextToken() {
    TokenBucket bucket = new TokenBucket(10, 500, clock);
    taken(bucket, 10);

    assertThat(bucket.untilNextToken()).isEqualTo(Duration.ofMillis(2));
    clock.advance(Duration.ofMillis(1));
    assertThat(bucket.tryTake()).as("half a token").isFalse();
    assertThat(bucket.untilNextToken()).isEqualTo(Duration.ofMillis(1));
    clock.advance(Duration.ofMillis(1));
    assertThat(bucket.untilNextToken()).isZero();
    assertThat(bucket.tryTake()).isTrue();

    clock.advance(Duration.ofMillis(10));
    assertThat(taken(bucket, 100)).as("500 a second, 10 ms").isEqualTo(5);
  }

  @Test
  void neverHoldsMoreThanItsBurst() {
    TokenBucket bucket = new TokenBucket(1300, 300, clock);
    taken(bucket, 1300);

    clock.advance(Duration.ofHours(1));

    assertThat(taken(bucket, 2000)).isEqualTo(1300);
  }

  @Test
  void overTimeItGivesTheBurstPlusTheRateAndNoMore() {
    TokenBucket bucket = new TokenBucket(50, 100, clock);
    long given = 0;
    for (int step = 0; step < 1000; step++) {
      given += taken(bucket, 7);
      clock.advance(Duration.ofMillis(3));
    }

    assertThat(given).as("50 + 100 a second for 2.997 s").isBetween(50L + 298, 50L + 300);
  }

  @Test
  void aClockThatGoesBackGivesNothingExtra() {
    TokenBucket bucket = new TokenBucket(1, 1, clock);
    bucket.tryTake();

    clock.advance(Duration.ofSeconds(-10));

    assertThat(bucket.tryTake()).isFalse();
  }

  @Test
  void refusesSizesThatCannotWork() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(1, 0, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
