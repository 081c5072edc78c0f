package dev.apikeyoperator.issuer.statsig;

import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.StatsigKeySpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeyType;
import dev.apikeyoperator.issuer.Provider;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which Statsig keys a provider may mint or keep: type, scopes and environments, all decided from the spec (Statsig
 * environments are names). Checked before every create and every in-place update; each answer names the rule.
 */
final class StatsigPolicy {
  private StatsigPolicy() {}

  static Optional<String> check(Provider provider, StatsigKeySpec statsig) {
    return check(provider, statsig.type, statsig.scopes, statsig.environments);
  }

  /** Type, scopes and environments: of a spec, or of a live key read back from the vendor. */
  static Optional<String> check(Provider provider, StatsigKeyType type, List<String> scopes,
      List<String> environments) {
    ProviderPolicy policy = provider.spec().policyOrDefault();
    List<StatsigKeyType> types = policy.allowedStatsigTypesOrDefault();
    if (!types.contains(type)) {
      return Optional.of(provider.displayName() + " does not allow " + type + " keys (policy."
          + "allowedStatsigTypes: " + types.stream().map(Enum::name).collect(Collectors.joining(", ")) + ")");
    }
    List<String> allowedScopes = policy.allowedStatsigScopesOrDefault();
    List<String> denied = scopes == null ? List.of()
        : scopes.stream().filter(s -> !allowedScopes.contains(s)).distinct().toList();
    if (!denied.isEmpty()) {
      return Optional.of(provider.displayName() + " does not allow the scope(s) " + String.join(", ", denied)
          + " (policy.allowedStatsigScopes: " + String.join(", ", allowedScopes) + ")");
    }
    List<String> envs = policy.allowedEnvironments == null ? List.of() : policy.allowedEnvironments;
    if (envs.isEmpty()) {
      return Optional.empty();
    }
    if (environments == null || environments.isEmpty()) {
      return Optional.of(provider.displayName() + " allows only keys limited to the environments " + envs
          + " (policy.allowedEnvironments); a key for all environments is not allowed");
    }
    return environments.stream().filter(e -> !envs.contains(e)).findFirst()
        .map(e -> provider.displayName() + " does not allow environment " + e + " (policy.allowedEnvironments: "
            + String.join(", ", envs) + ")");
  }
}
