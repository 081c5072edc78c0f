package dev.apikeyoperator.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;

class CallSlotsTest {
  private static ApiKey key(String ns, ProviderRef.Kind kind, String provider) {
    ApiKey k = new ApiKey();
    k.getMetadata().setNamespace(ns);
    k.getMetadata().setName("k");
    k.setSpec(new ApiKeySpec());
    k.getSpec().providerRef = new ProviderRef();
    k.getSpec().providerRef.kind = kind;
    k.getSpec().providerRef.name = provider;
    return k;
  }

  @Test
  void aTenantGetsAtMostItsSlotsAndGetsThemBack() {
    CallSlots slots = new CallSlots(2);
    List<Slot> taken = new ArrayList<>();
    slots.tryTake("namespace/a").ifPresent(taken::add);
    slots.tryTake("namespace/a").ifPresent(taken::add);
    assertThat(taken).hasSize(2);
    assertThat(slots.tryTake("namespace/a")).isEmpty();
    assertThat(slots.tryTake("namespace/b")).isPresent();
    taken.get(0).close();
    taken.get(0).close(); // twice gives back once
    Optional<Slot> again = slots.tryTake("namespace/a");
    assertThat(again).isPresent();
    assertThat(slots.tryTake("namespace/a")).isEmpty();
  }

  @Test
  void allNamespacedProvidersOfANamespaceAreOneTenantAndClusterProvidersArePerNamespace() {
    assertThat(Pacing.tenantOf(key("a", ProviderRef.Kind.ApiKeyProvider, "p1")))
        .isEqualTo(Pacing.tenantOf(key("a", ProviderRef.Kind.ApiKeyProvider, "p2")));
    assertThat(Pacing.tenantOf(key("a", ProviderRef.Kind.ClusterApiKeyProvider, "shared")))
        .isNotEqualTo(Pacing.tenantOf(key("b", ProviderRef.Kind.ClusterApiKeyProvider, "shared")))
        .isNotEqualTo(Pacing.tenantOf(key("a", ProviderRef.Kind.ApiKeyProvider, "shared")));
  }

  @Test
  void thoseTurnedAwayAreWokenInTurnAsSlotsAreGivenBack() {
    CallSlots slots = new CallSlots(1);
    List<ResourceID> woken = new ArrayList<>();
    slots.onFree(woken::add);
    Slot held = slots.tryTake("namespace/a").orElseThrow();
    assertThat(slots.tryTake("namespace/a")).isEmpty();
    slots.tryTake("namespace/b").orElseThrow().close();
    java.time.Duration first = slots.await("namespace/a", new ResourceID("k1", "a"));
    java.time.Duration second = slots.await("namespace/a", new ResourceID("k2", "a"));
    slots.await("namespace/a", new ResourceID("k1", "a")); // waits once
    assertThat(second).as("the fallback of a later waiter is later").isGreaterThan(first);
    assertThat(first).isLessThanOrEqualTo(java.time.Duration.ofSeconds(60));
    held.close();
    assertThat(woken).containsExactly(new ResourceID("k1", "a"));
    slots.wakeWaiters("namespace/a", new ResourceID("other", "a"));
    assertThat(woken).as("the free slot is k1's to take: nobody else is woken for it").hasSize(1);
    slots.tryTake("namespace/a").orElseThrow().close(); // k1 takes and gives back: k2 is next
    slots.wakeWaiters("namespace/a", new ResourceID("k1", "a"));
    assertThat(woken).containsExactly(new ResourceID("k1", "a"), new ResourceID("k2", "a"));
    slots.wakeWaiters("namespace/a", new ResourceID("k2", "a")); // k2 came back and needed no slot
    assertThat(woken).as("nobody else waits").hasSize(2);
    Slot again = slots.tryTake("namespace/a").orElseThrow();
    slots.await("namespace/a", new ResourceID("k3", "a"));
    slots.wakeWaiters("namespace/a", new ResourceID("other", "a"));
    assertThat(woken).as("no slot free: nobody is woken").hasSize(2);
    again.close();
    assertThat(woken).as("a slot given back wakes the next waiter").hasSize(3);
  }
}
