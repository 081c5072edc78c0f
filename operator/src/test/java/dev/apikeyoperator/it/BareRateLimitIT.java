package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Harness-style 429s ({@code {"code":429}}, no rate-limit headers, no Retry-After): the keys converge with backoff,
 * each created once, without a storm. Its own operator and simulator: the simulator's limit is shared by every
 * provider's checks, so other tests' providers would eat into it.
 */
class BareRateLimitIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  @Test
  void bare429sConvergeWithBackoffAndNoStorm() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "warm")); // names resolved once, so the burst below is creates only
    h.awaitReason(ns, "warm", "KeyReady");
    h.simulator.faults().setRateLimitPerSecond(2).setBareRateLimitReplies(true);
    int before429 = h.simulator.requestCounts().getOrDefault("POST /apiKeys 429", 0);
    int keys = 10;
    for (int i = 0; i < keys; i++) {
      h.create(serverSideKey(ns, "bare-" + i));
    }
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      for (int i = 0; i < keys; i++) {
        assertThat(h.ready(ns, "bare-" + i)).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("KeyReady"));
      }
    });
    for (int i = 0; i < keys; i++) {
      assertThat(h.allKeys(ns + "-bare-" + i + "-")).as("bare-" + i).hasSize(1); // each key created once
    }
    int bounced = h.simulator.requestCounts().getOrDefault("POST /apiKeys 429", 0) - before429;
    assertThat(bounced).isLessThanOrEqualTo(2 * keys);
  }
}
