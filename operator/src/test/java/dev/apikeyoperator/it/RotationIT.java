package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.simulator.SimKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rotation and replacement: new key into the Secret, old key kept for the grace period, then revoked. */
class RotationIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  public static ApiKey withGrace(ApiKey k, String grace) {
    k.getSpec().rotation = new RotationSpec();
    k.getSpec().rotation.gracePeriod = grace;
    return k;
  }

  @Test
  void rotateRequestedAtRotatesOncePerValue() {
    String ns = h.namespaceWithProvider();
    h.create(withGrace(serverSideKey(ns, "rot"), "3s"));
    h.awaitReason(ns, "rot", "KeyReady");
    String first = h.get(ns, "rot").getStatus().key.name;

    annotate(ns, "rot", "2026-11-23T10:00:00Z");
    h.awaitReason(ns, "rot", "Rotating");
    ApiKey rotating = h.get(ns, "rot");
    assertThat(rotating.getStatus().key.name).isNotEqualTo(first);
    assertThat(rotating.getStatus().previousKeys).singleElement()
        .satisfies(p -> assertThat(p.name).isEqualTo(first));
    SimKey second = h.activeKeys(rotating.getStatus().key.name).get(0);
    assertThat(OperatorHarness.value(h.secret(ns, "rot"), "apiKey")).isEqualTo(second.key());
    assertThat(h.activeKeys(first)).as("old key valid during the grace period").hasSize(1);

    h.awaitReason(ns, "rot", "KeyReady");
    assertThat(h.activeKeys(first)).isEmpty();
    assertThat(h.get(ns, "rot").getStatus().previousKeys).isNull();

    // The same value again does nothing; a new value rotates again.
    annotate(ns, "rot", "2026-11-23T10:00:00Z");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
        assertThat(h.allKeys(ns + "-rot-")).hasSize(2));
    annotate(ns, "rot", "2026-11-23T11:00:00Z");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.allKeys(ns + "-rot-")).hasSize(3));
  }

  @Test
  void identityChangeReplacesTheKey() {
    String ns = h.namespaceWithProvider();
    h.create(withGrace(serverSideKey(ns, "move"), "2s"));
    h.awaitReason(ns, "move", "KeyReady");
    String first = h.get(ns, "move").getStatus().key.name;
    ApiKey k = h.get(ns, "move");
    k.getSpec().fme.environments = new ArrayList<>(List.of(NameOrId.byName("Staging")));
    h.client.resource(k).update();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ApiKey now = h.get(ns, "move");
      assertThat(now.getStatus().key.name).isNotEqualTo(first);
      assertThat(now.getStatus().previousKeys).isNull();
    });
    ApiKey now = h.get(ns, "move");
    SimKey current = h.activeKeys(now.getStatus().key.name).get(0);
    assertThat(current.environmentIds()).containsExactly(h.simulator.environmentId("Shop", "Staging"));
    assertThat(OperatorHarness.value(h.secret(ns, "move"), "apiKey")).isEqualTo(current.key());
    assertThat(h.activeKeys(first)).isEmpty();
    assertThat(h.activeKeys(ns + "-move-")).hasSize(1);
  }

  @Test
  void scheduledRotation() {
    String ns = h.namespaceWithProvider();
    ApiKey k = withGrace(serverSideKey(ns, "sched"), "0s");
    k.getSpec().rotation.every = "10s";
    h.create(k);
    h.awaitReason(ns, "sched", "KeyReady");
    ApiKey ready = h.get(ns, "sched");
    assertThat(ready.getStatus().nextRotationAt).isNotNull();
    String first = ready.getStatus().key.name;
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(h.get(ns, "sched").getStatus().key.name).isNotEqualTo(first));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(h.activeKeys(first)).isEmpty());
  }

  @Test
  void deletingDuringTheGracePeriodRevokesCurrentAndPrevious() {
    String ns = h.namespaceWithProvider();
    h.create(withGrace(serverSideKey(ns, "gone"), "1h"));
    h.awaitReason(ns, "gone", "KeyReady");
    annotate(ns, "gone", "now");
    h.awaitReason(ns, "gone", "Rotating");
    assertThat(h.activeKeys(ns + "-gone-")).hasSize(2);
    h.client.resource(h.get(ns, "gone")).delete();
    h.awaitGone(ns, "gone");
    assertThat(h.activeKeys(ns + "-gone-")).isEmpty();
    assertThat(h.allKeys(ns + "-gone-")).hasSize(2);
  }

  private static void annotate(String ns, String name, String value) {
    ApiKey k = h.get(ns, name);
    if (k.getMetadata().getAnnotations() == null) {
      k.getMetadata().setAnnotations(new HashMap<>());
    }
    k.getMetadata().getAnnotations().put("apikeyoperator.dev/rotate-requested-at", value);
    h.client.resource(k).update();
  }
}
