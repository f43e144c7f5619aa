package com.valuationflow.domain.port;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AnsweredWebhooks} promises. An adapter's test extends this class and says how
 * to build the store under test.
 */
public abstract class AnsweredWebhooksContract {

  protected static final int RACERS = 16;
  protected static final Duration RETENTION = Duration.ofDays(7);
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected static final String ID = "msg_1";
  protected static final WebhookFingerprint CONTENT = fingerprint("c-1", "{\"v\":1}");
  protected static final WebhookAnswer RESUMED =
      new WebhookAnswer(200, "application/json", "{\"outcome\":\"RESUMED\"}");

  protected final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
  protected AnsweredWebhooks webhooks;

  /** A new, empty store reading the time from the clock. */
  protected abstract AnsweredWebhooks createStore(Clock clock, Duration retention, Duration lease);

  @BeforeEach
  void createStoreUnderTest() {
    webhooks = createStore(clock, RETENTION, LEASE);
  }

  protected static WebhookFingerprint fingerprint(String correlationKey, String body) {
    return WebhookFingerprint.of(correlationKey, body.getBytes(UTF_8));
  }

  private WebhookClaim.Claimed claimed() {
    WebhookClaim claim = webhooks.claim(ID, CONTENT);
    assertThat(claim).isInstanceOf(WebhookClaim.Claimed.class);
    return (WebhookClaim.Claimed) claim;
  }

  @Test
  void theFirstDeliveryOfAnIdClaimsIt() {
    WebhookClaim.Claimed claim = claimed();

    assertThat(claim.webhookId()).isEqualTo(ID);
    assertThat(claim.fingerprint()).isEqualTo(CONTENT);
  }

  @Test
  void aRepeatWhileTheFirstIsProcessedIsInProgressUntilTheLeaseEnds() {
    claimed();

    assertThat(webhooks.claim(ID, CONTENT))
        .isEqualTo(new WebhookClaim.InProgress(clock.instant().plus(LEASE)));
  }

  @Test
  void aRepeatOfAnAnsweredIdGetsTheStoredAnswer() {
    assertThat(webhooks.answer(claimed(), RESUMED)).isTrue();

    assertThat(webhooks.claim(ID, CONTENT)).isEqualTo(new WebhookClaim.Answered(RESUMED));
    clock.advance(LEASE.multipliedBy(10));
    assertThat(webhooks.claim(ID, CONTENT)).isEqualTo(new WebhookClaim.Answered(RESUMED));
  }

  @Test
  void theSameIdWithAnotherBodyOrAnotherCorrelationKeyIsReusedAndChangesNothing() {
    webhooks.answer(claimed(), RESUMED);

    assertThat(webhooks.claim(ID, fingerprint("c-1", "{\"v\":2}")))
        .isEqualTo(new WebhookClaim.Reused());
    assertThat(webhooks.claim(ID, fingerprint("c-2", "{\"v\":1}")))
        .isEqualTo(new WebhookClaim.Reused());
    assertThat(webhooks.claim(ID, CONTENT)).isEqualTo(new WebhookClaim.Answered(RESUMED));
  }

  @Test
  void theSameIdWithOtherContentIsReusedWhileTheFirstIsInProgressOrReleasedToo() {
    WebhookClaim.Claimed claim = claimed();
    WebhookFingerprint other = fingerprint("c-1", "{\"v\":2}");

    assertThat(webhooks.claim(ID, other)).isEqualTo(new WebhookClaim.Reused());
    webhooks.release(claim);
    assertThat(webhooks.claim(ID, other)).isEqualTo(new WebhookClaim.Reused());
    clock.advance(LEASE.multipliedBy(2));
    assertThat(webhooks.claim(ID, other)).isEqualTo(new WebhookClaim.Reused());
  }

  @Test
  void aReleasedIdIsClaimedAfreshByTheNextDelivery() {
    webhooks.release(claimed());

    WebhookClaim.Claimed again = claimed();

    assertThat(webhooks.answer(again, RESUMED)).isTrue();
    assertThat(webhooks.claim(ID, CONTENT)).isEqualTo(new WebhookClaim.Answered(RESUMED));
  }

  @Test
  void aClaimWhoseHolderDiedIsTakenOverOnceItsLeaseRanOut() {
    WebhookClaim.Claimed dead = claimed();
    clock.advance(LEASE.minusSeconds(1));
    assertThat(webhooks.claim(ID, CONTENT)).isInstanceOf(WebhookClaim.InProgress.class);

    clock.advance(Duration.ofSeconds(1));
    WebhookClaim.Claimed successor = claimed();

    assertThat(successor.claimId()).isNotEqualTo(dead.claimId());
    assertThat(webhooks.answer(dead, RESUMED)).isFalse();
    webhooks.release(dead);
    assertThat(webhooks.claim(ID, CONTENT)).isInstanceOf(WebhookClaim.InProgress.class);
    assertThat(webhooks.answer(successor, RESUMED)).isTrue();
    assertThat(webhooks.claim(ID, CONTENT)).isEqualTo(new WebhookClaim.Answered(RESUMED));
  }

  @Test
  void anAnswerIsForgottenAfterTheRetentionAndTheIdMayBeUsedAnew() {
    webhooks.answer(claimed(), RESUMED);
    clock.advance(RETENTION.minusSeconds(1));
    assertThat(webhooks.claim(ID, CONTENT)).isEqualTo(new WebhookClaim.Answered(RESUMED));

    clock.advance(Duration.ofSeconds(1));

    assertThat(webhooks.claim(ID, fingerprint("c-9", "{}")))
        .isInstanceOf(WebhookClaim.Claimed.class);
  }

  @Test
  void idsAreIndependentOfEachOther() {
    webhooks.answer(claimed(), RESUMED);

    assertThat(webhooks.claim("msg_2", CONTENT)).isInstanceOf(WebhookClaim.Claimed.class);
  }

  @Test
  void ofManyConcurrentClaimsOfOneIdExactlyOneWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<WebhookClaim>> claims = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        claims.add(
            pool.submit(
                () -> {
                  start.await();
                  return webhooks.claim(ID, CONTENT);
                }));
      }
      start.countDown();
      List<WebhookClaim> outcomes = new ArrayList<>();
      for (Future<WebhookClaim> claim : claims) {
        outcomes.add(claim.get());
      }

      assertThat(outcomes).filteredOn(WebhookClaim.Claimed.class::isInstance).hasSize(1);
      assertThat(outcomes)
          .filteredOn(WebhookClaim.InProgress.class::isInstance)
          .hasSize(RACERS - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void fingerprintsBindTheCorrelationKeyAndTheBodyApart() {
    assertThat(fingerprint("c-1", "2{}")).isNotEqualTo(fingerprint("c-12", "{}"));
    assertThat(fingerprint("c-1", "{}")).isEqualTo(fingerprint("c-1", "{}"));
  }
}
