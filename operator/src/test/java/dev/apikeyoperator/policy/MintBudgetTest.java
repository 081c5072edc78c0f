package dev.apikeyoperator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.MovingClock;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.issuer.Provider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MintBudgetTest {
  private final MovingClock clock = new MovingClock(java.time.Instant.parse("2026-12-06T10:00:00Z"));
  private final MintBudget budget = new MintBudget(clock);

  @Test
  void aClusterProviderAllowsSixtyKeysPerNamespaceAndHourByDefault() {
    Provider shared = new Provider(ProviderRef.Kind.ClusterApiKeyProvider, "shared", null, "u1",
        new ClusterApiKeyProviderSpec(), null);
    for (int i = 0; i < 60; i++) {
      assertThat(budget.take(shared, "shop")).as("key %d", i + 1).isEmpty();
    }
    assertThat(budget.waitBefore(shared, "shop")).hasValueSatisfying(wait ->
        assertThat(wait).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(61)));
    assertThat(budget.take(shared, "shop")).isPresent();
    assertThat(budget.take(shared, "payments")).as("another namespace's budget").isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(budget.take(shared, "shop")).as("a minute later, one more").isEmpty();
    assertThat(budget.take(shared, "shop")).isPresent();
  }

  @Test
  void aNamespacedProviderIsUnboundedUnlessItsPolicySaysSo() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    Provider own = new Provider(ProviderRef.Kind.ApiKeyProvider, "fme", "shop", "u2", spec, null);
    for (int i = 0; i < 1000; i++) {
      assertThat(budget.take(own, "shop")).isEmpty();
    }
    spec.policy = new ProviderPolicy();
    spec.policy.maxKeysPerHour = 1;
    assertThat(budget.take(own, "shop")).isEmpty();
    assertThat(budget.take(own, "shop")).hasValueSatisfying(wait ->
        assertThat(wait).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61)));
  }
}
