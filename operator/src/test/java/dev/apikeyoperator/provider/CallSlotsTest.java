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
}
