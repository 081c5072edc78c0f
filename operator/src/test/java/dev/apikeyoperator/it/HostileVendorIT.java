package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static dev.apikeyoperator.it.OperatorHarness.statsigKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.testkit.HostileVendor;
import dev.apikeyoperator.testkit.HostileVendor.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantee 7 (docs/concepts/guarantees.md): tenants whose namespaced providers point at endpoints they run (a gzip bomb, an
 * endless body, a trickle, a hang, invalid JSON, an endless listing) cannot stop or starve the operator. 30 ApiKeys
 * call such endpoints while another namespace's ApiKey is created: it becomes Ready, every hostile ApiKey ends in a
 * condition with a short message, and the operator goes on serving.
 */
class HostileVendorIT {
  private static final int KEYS_PER_ENDPOINT = 5;

  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness(dev.apikeyoperator.OperatorSettings.defaults()
      .withVendorReadTimeout(Duration.ofSeconds(3)).withVendorCallDeadline(Duration.ofSeconds(5)));

  private static final List<HostileVendor> VENDORS = new ArrayList<>();

  @AfterAll
  static void stopVendors() {
    VENDORS.forEach(HostileVendor::close);
  }

  @Test
  void hostileEndpointsNeitherStopNorStarveTheOperator() {
    Map<String, Mode> hostile = new java.util.LinkedHashMap<>();
    for (Mode mode : Mode.values()) {
      HostileVendor vendor = HostileVendor.start(mode);
      VENDORS.add(vendor);
      String ns;
      if (mode == Mode.ENDLESS_PAGES) {
        ns = h.namespaceWithStatsigProvider();
        h.editProvider(ns, "statsig", p -> p.getSpec().statsig.baseUrl = vendor.statsigBaseUrl());
      } else {
        ns = h.namespaceWithProvider();
        h.editProvider(ns, OperatorHarness.PROVIDER, p -> p.getSpec().fme.baseUrl = vendor.fmeBaseUrl());
      }
      for (int i = 0; i < KEYS_PER_ENDPOINT; i++) {
        String name = mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + i;
        h.create(mode == Mode.ENDLESS_PAGES ? statsigKey(ns, name) : byIds(serverSideKey(ns, name)));
        hostile.put(ns + "/" + name, mode);
      }
    }
    assertThat(hostile).hasSize(30);
    // Wait until every hostile endpoint is being called, so the good key competes with them.
    await().atMost(Duration.ofSeconds(60)).until(() -> VENDORS.stream().allMatch(v -> v.hostileAnswers() > 0));

    String good = h.namespaceWithProvider();
    h.create(serverSideKey(good, "meanwhile"));
    h.awaitReason(good, "meanwhile", "KeyReady");

    Set<String> ended = Set.of("CreationIndeterminate", "Provisioning", "VendorError");
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        hostile.forEach((key, mode) -> {
          String[] nsName = key.split("/");
          StatusCondition ready = h.ready(nsName[0], nsName[1]).orElse(null);
          assertThat(ready).as("%s (%s)", key, mode).isNotNull();
          assertThat(ready.getReason()).as("%s (%s)", key, mode).isIn(ended);
          if ("Provisioning".equals(ready.getReason())) {
            assertThat(ready.getMessage()).as("%s (%s)", key, mode).contains("failed");
          }
          assertThat(ready.getMessage().length()).as("%s (%s): a short message", key, mode).isLessThan(1200);
          assertThat(ready.getMessage()).doesNotContain("<html>").doesNotContain("{\"id\":\"0\"");
        }));

    // Still serving: another key, after all of that.
    h.create(serverSideKey(good, "afterwards"));
    h.awaitReason(good, "afterwards", "KeyReady");
  }

  /** Ids instead of names: no lookups, the create call goes straight to the endpoint. */
  private static ApiKey byIds(ApiKey k) {
    k.getSpec().fme.project = NameOrId.byId("ws-1");
    k.getSpec().fme.environments = new ArrayList<>(List.of(NameOrId.byId("env-1")));
    return k;
  }
}
