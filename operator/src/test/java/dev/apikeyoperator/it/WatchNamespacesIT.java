package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.OperatorSettings;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WATCH_NAMESPACES: ApiKeys elsewhere are not touched at all. */
class WatchNamespacesIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness(OperatorSettings.defaults()
      .withWatchNamespaces(Set.of("watched")));

  @Test
  void onlyWatchedNamespacesAreReconciled() {
    h.namespaceWithProvider("watched");
    h.namespaceWithProvider("elsewhere");
    h.create(serverSideKey("watched", "seen"));
    h.create(serverSideKey("elsewhere", "unseen"));
    h.awaitReason("watched", "seen", "KeyReady");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
      assertThat(h.get("elsewhere", "unseen").getStatus()).isNull();
      assertThat(h.get("elsewhere", "unseen").getMetadata().getFinalizers()).isNullOrEmpty();
    });
    assertThat(h.allKeys("elsewhere-")).isEmpty();
  }
}
