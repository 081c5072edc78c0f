package dev.apikeyoperator.issuer.unleash;

import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.UnleashTokenType;
import dev.apikeyoperator.issuer.Provider;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which Unleash tokens a provider may mint or adopt: type, projects and environment, all names, all decided before
 * any vendor call. Each answer names the rule.
 */
final class UnleashPolicy {
  /** What Unleash calls every project. */
  static final String ALL_PROJECTS = "*";

  private UnleashPolicy() {}

  /** Type, projects and environment: of a spec, or of a live token read back from Unleash. */
  static Optional<String> check(Provider provider, UnleashTokenType type, List<String> projects, String environment) {
    ProviderPolicy policy = provider.spec().policyOrDefault();
    List<UnleashTokenType> types = policy.allowedUnleashTypesOrDefault();
    if (type == null || !types.contains(type)) {
      return Optional.of(provider.displayName() + " does not allow " + type + " tokens (policy.allowedUnleashTypes: "
          + types.stream().map(Enum::name).collect(Collectors.joining(", ")) + ")");
    }
    List<String> allowedProjects = policy.allowedProjects == null ? List.of() : policy.allowedProjects;
    if (!allowedProjects.isEmpty()) {
      if (projects.contains(ALL_PROJECTS)) {
        return Optional.of(provider.displayName() + " allows only the projects " + String.join(", ", allowedProjects)
            + " (policy.allowedProjects): a token for every project (\"*\") is not allowed; name the projects");
      }
      Optional<String> denied = projects.stream().filter(p -> !allowedProjects.contains(p)).findFirst();
      if (denied.isPresent()) {
        return Optional.of(provider.displayName() + " does not allow project " + denied.get()
            + " (policy.allowedProjects: " + String.join(", ", allowedProjects) + ")");
      }
    }
    List<String> envs = policy.allowedEnvironments == null ? List.of() : policy.allowedEnvironments;
    if (!envs.isEmpty() && !envs.contains(environment)) {
      return Optional.of(provider.displayName() + " does not allow environment " + environment
          + " (policy.allowedEnvironments: " + String.join(", ", envs) + ")");
    }
    return Optional.empty();
  }
}
