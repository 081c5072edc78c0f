package dev.apikeyoperator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.ApiKeySpec;
import dev.apikeyoperator.customresource.ProviderRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    List<CallSlots.Slot> taken = new ArrayList<>();
    slots.tryTake("namespace/a").ifPresent(taken::add);
    slots.tryTake("namespace/a").ifPresent(taken::add);
    assertThat(taken).hasSize(2);
    assertThat(slots.tryTake("namespace/a")).isEmpty();
    assertThat(slots.tryTake("namespace/b")).isPresent();
    taken.get(0).close();
    taken.get(0).close(); // twice gives back once
    Optional<CallSlots.Slot> again = slots.tryTake("namespace/a");
    assertThat(again).isPresent();
    assertThat(slots.tryTake("namespace/a")).isEmpty();
  }

  @Test
  void allNamespacedProvidersOfANamespaceAreOneTenantAndClusterProvidersArePerNamespace() {
    assertThat(CallSlots.tenantOf(key("a", ProviderRef.Kind.ApiKeyProvider, "p1")))
        .isEqualTo(CallSlots.tenantOf(key("a", ProviderRef.Kind.ApiKeyProvider, "p2")));
    assertThat(CallSlots.tenantOf(key("a", ProviderRef.Kind.ClusterApiKeyProvider, "shared")))
        .isNotEqualTo(CallSlots.tenantOf(key("b", ProviderRef.Kind.ClusterApiKeyProvider, "shared")))
        .isNotEqualTo(CallSlots.tenantOf(key("a", ProviderRef.Kind.ApiKeyProvider, "shared")));
  }

  @Test
  void thoseTurnedAwayComeBackOneAfterAnotherNotAllAtOnce() {
    CallSlots slots = new CallSlots(1);
    CallSlots.Slot held = slots.tryTake("namespace/a").orElseThrow();
    assertThat(slots.anyFree("namespace/a")).isFalse();
    assertThat(slots.anyFree("namespace/b")).isTrue();
    java.time.Duration first = slots.comeBackAfter("namespace/a");
    java.time.Duration second = slots.comeBackAfter("namespace/a");
    java.time.Duration third = slots.comeBackAfter("namespace/a");
    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
    assertThat(List.of(first, second, third)).allSatisfy(d -> assertThat(d)
        .isBetween(java.time.Duration.ofMillis(50), java.time.Duration.ofSeconds(5)));
    for (int i = 0; i < 1000; i++) {
      slots.comeBackAfter("namespace/a");
    }
    assertThat(slots.comeBackAfter("namespace/a")).as("never longer than a few seconds")
        .isLessThanOrEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(slots.comeBackAfter("namespace/b")).as("another tenant's queue is its own")
        .isLessThan(java.time.Duration.ofMillis(200));
    held.close();
    assertThat(slots.anyFree("namespace/a")).isTrue();
  }
}
