package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/concepts/ready-and-synced.md: whether a working key is served, and whether the latest spec is applied. */
class ReadyAndSyncedIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  @Test
  void aNewKeyGetsBothConditionsTrueAtItsGeneration() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "fresh"));

    h.awaitReason(ns, "fresh", "KeyReady");
    ApiKey k = h.get(ns, "fresh");
    Long generation = k.getMetadata().getGeneration();
    assertThat(h.ready(ns, "fresh")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("KeyReady");
      assertThat(c.observedGeneration).isEqualTo(generation);
    });
    assertThat(h.synced(ns, "fresh")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getMessage()).contains("Generation " + generation).contains("Secret fresh");
      assertThat(c.observedGeneration).isEqualTo(generation);
    });
  }

  @Test
  void withoutAKeyBothConditionsAreFalseWithTheReason() {
    String ns = h.newNamespace();
    h.create(serverSideKey(ns, "orphan"));

    StatusCondition synced = h.awaitReason(ns, "orphan", "ProviderNotFound");
    assertThat(synced.getStatus()).isEqualTo("False");
    assertThat(h.ready(ns, "orphan")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("ProviderNotFound");
      assertThat(c.observedGeneration).isEqualTo(h.get(ns, "orphan").getMetadata().getGeneration());
    });
  }

  @Test
  void aRefusedChangeOnALiveKeyKeepsReadyAndIsNotSyncedUntilFixed() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "live"));
    h.awaitReason(ns, "live", "KeyReady");
    String keyName = h.get(ns, "live").getStatus().key.name;

    h.edit(ApiKey.class, ns, "live", k -> k.getSpec().fme.type = FmeKeyType.ADMIN); // admin without roles
    StatusCondition synced = h.awaitReason(ns, "live", "InvalidSpec");
    ApiKey refused = h.get(ns, "live");
    Long generation = refused.getMetadata().getGeneration();
    assertThat(synced.getStatus()).isEqualTo("False");
    assertThat(synced.getMessage()).contains("spec.fme.roles");
    assertThat(synced.observedGeneration).isEqualTo(generation);
    assertThat(refused.getStatus().observedGeneration).isEqualTo(generation);
    assertThat(h.ready(ns, "live")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("KeyReady");
      assertThat(c.getMessage()).contains(keyName).contains("keeps working");
      assertThat(c.observedGeneration).isEqualTo(generation);
    });
    assertThat(h.activeKeys(ns + "-live-")).hasSize(1);
    assertThat(warnings(ns, "live", "InvalidSpec")).hasSize(1);

    h.edit(ApiKey.class, ns, "live", k -> {
      k.getSpec().fme.type = FmeKeyType.SERVER_SIDE;
      k.getSpec().secret = new dev.apikeyoperator.api.v1alpha1.SecretSpec();
      k.getSpec().secret.labels.put("team", "shop"); // a label never mints a key
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(h.synced(ns, "live"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
    assertThat(h.ready(ns, "live")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(h.get(ns, "live").getStatus().key.name).isEqualTo(keyName);
  }

  @Test
  void aSecretThatNoLongerHoldsTheKeyIsNotReadyWhileAChangeIsRefused() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "gone"));
    h.awaitReason(ns, "gone", "KeyReady");

    h.client.resource(h.get(ns, "gone")).edit(k -> {
      k.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(
          "apikeyoperator.dev/paused", "true")));
      return k;
    });
    h.awaitReason(ns, "gone", "Paused");
    assertThat(h.ready(ns, "gone")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    h.client.secrets().inNamespace(ns).withName("gone").delete();

    h.edit(ApiKey.class, ns, "gone", k -> k.getMetadata().getAnnotations().put("nudge", "1"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(h.ready(ns, "gone"))
        .hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("Paused");
        }));
  }

  private static List<Event> warnings(String ns, String name, String reason) {
    return new ArrayList<>(h.client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())
            && name.equals(e.getInvolvedObject().getName()))
        .toList());
  }
}
