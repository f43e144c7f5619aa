package com.valuationflow.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.domain.port.AnsweredWebhooks;
import com.valuationflow.domain.port.AnsweredWebhooksContract;
import com.valuationflow.domain.port.WebhookClaim;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryAnsweredWebhooksTest extends AnsweredWebhooksContract {

  @Override
  protected AnsweredWebhooks createStore(Clock clock, Duration retention, Duration lease) {
    return new InMemoryAnsweredWebhooks(clock, retention, lease, 1_000);
  }

  @Test
  void expiredReceiptsAreSweptOutSoTheStoreDoesNotGrowForever() {
    InMemoryAnsweredWebhooks store = (InMemoryAnsweredWebhooks) webhooks;
    for (int i = 0; i < 100; i++) {
      store.claim("msg_" + i, CONTENT);
    }
    clock.advance(RETENTION);

    store.claim("msg_new", CONTENT);

    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void beyondItsCapacityTheOldestReceiptsAreForgottenFirst() {
    InMemoryAnsweredWebhooks small = new InMemoryAnsweredWebhooks(clock, RETENTION, LEASE, 2);
    small.answer((WebhookClaim.Claimed) small.claim("msg_1", CONTENT), RESUMED);
    small.claim("msg_2", CONTENT);
    small.claim("msg_3", CONTENT);

    assertThat(small.size()).isEqualTo(2);
    assertThat(small.claim("msg_1", CONTENT)).isInstanceOf(WebhookClaim.Claimed.class);
  }
}
