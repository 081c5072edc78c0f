package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.testkit.HostileVendor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantee 7 (docs/concepts/guarantees.md): one namespace whose endpoint hangs cannot hold every reconcile thread. 60
 * ApiKeys call a hanging endpoint, each call allowed a minute; JOSDK has 50 reconcile threads for everything. Without
 * a bound per namespace they would all be taken for that minute and another namespace's ApiKey would wait; with it,
 * that namespace holds at most RECONCILES_PER_NAMESPACE threads and the other ApiKey is served at once.
 */
class NamespaceStarvationIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness(OperatorSettings.defaults()
      .withVendorReadTimeout(Duration.ofSeconds(90)).withVendorCallDeadline(Duration.ofSeconds(60)));

  @Test
  void aHangingNamespaceHoldsAtMostItsShareOfTheThreads() {
    try (HostileVendor hang = HostileVendor.start(HostileVendor.Mode.HANG)) {
      String hostile = h.namespaceWithProvider();
      h.editProvider(hostile, OperatorHarness.PROVIDER, p -> p.getSpec().fme.baseUrl = hang.fmeBaseUrl());
      for (int i = 0; i < 60; i++) {
        ApiKey k = serverSideKey(hostile, "hang-" + i);
        k.getSpec().fme.project = NameOrId.byId("ws-1");
        k.getSpec().fme.environments = new ArrayList<>(List.of(NameOrId.byId("env-1")));
        h.create(k);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> hang.hostileAnswers() >= 1);
      await().pollDelay(Duration.ofSeconds(2)).until(() -> true); // let the hanging namespace take what it can

      String other = h.namespaceWithProvider();
      h.create(serverSideKey(other, "served"));
      h.awaitReason(other, "served", "KeyReady");
      // The hanging namespace never had more than its share of calls open at once (the first ones still hang).
      assertThat(hang.hostileAnswers()).isBetween(1, OperatorSettings.defaults().reconcilesPerNamespace());
    }
  }
}
