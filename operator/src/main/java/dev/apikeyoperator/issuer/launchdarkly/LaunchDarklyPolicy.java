package dev.apikeyoperator.issuer.launchdarkly;

import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeySpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeyType;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyRole;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.issuer.Provider;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which LaunchDarkly credentials a provider may hold: the type, the project and environment keys, and what an access
 * token may do (built-in role, custom roles, inline role). Decided from the spec alone, before any vendor call; each
 * answer names the rule.
 */
final class LaunchDarklyPolicy {
  private LaunchDarklyPolicy() {}

  static Optional<String> check(Provider provider, LaunchDarklyKeySpec ld) {
    ProviderPolicy policy = provider.spec().policyOrDefault();
    String who = provider.displayName();
    List<LaunchDarklyKeyType> types = policy.allowedLaunchDarklyTypesOrDefault();
    if (!types.contains(ld.type)) {
      return Optional.of(who + " does not allow LaunchDarkly " + ld.type.wire() + " credentials (policy."
          + "allowedLaunchDarklyTypes: " + types.stream().map(LaunchDarklyKeyType::wire)
          .collect(Collectors.joining(", ")) + ")");
    }
    if (ld.type.inEnvironment()) {
      List<String> projects = policy.allowedProjects == null ? List.of() : policy.allowedProjects;
      if (!projects.isEmpty() && !projects.contains(ld.project)) {
        return Optional.of(who + " does not allow project " + ld.project + " (policy.allowedProjects: "
            + String.join(", ", projects) + ")");
      }
      List<String> envs = policy.allowedEnvironments == null ? List.of() : policy.allowedEnvironments;
      if (!envs.isEmpty() && !envs.contains(ld.environment)) {
        return Optional.of(who + " does not allow environment " + ld.environment + " (policy.allowedEnvironments: "
            + String.join(", ", envs) + ")");
      }
      return Optional.empty();
    }
    List<LaunchDarklyRole> roles = policy.allowedLaunchDarklyRolesOrDefault();
    if (ld.role != null && !roles.contains(ld.role)) {
      return Optional.of(who + " does not allow access tokens with role " + ld.role.wire() + " (policy."
          + "allowedLaunchDarklyRoles: " + roles.stream().map(LaunchDarklyRole::wire).collect(Collectors.joining(", "))
          + ")");
    }
    List<String> allowedCustom = policy.allowedCustomRoleIds == null ? List.of() : policy.allowedCustomRoleIds;
    List<String> deniedCustom = ld.customRoleIds == null ? List.of()
        : ld.customRoleIds.stream().filter(r -> !allowedCustom.contains(r)).distinct().toList();
    if (!deniedCustom.isEmpty()) {
      return Optional.of(who + " does not allow the custom role(s) " + String.join(", ", deniedCustom)
          + " (policy.allowedCustomRoleIds: " + (allowedCustom.isEmpty() ? "none" : String.join(", ", allowedCustom))
          + ")");
    }
    if (ld.inlineRole != null && !ld.inlineRole.isEmpty() && !policy.allowInlineRoles) {
      return Optional.of(who + " does not allow access tokens with an inline role (policy.allowInlineRoles is "
          + "false)");
    }
    return Optional.empty();
  }

  /** A shared key is reset only where an administrator said so: the reset breaks every other user of it. */
  static Optional<String> checkRotation(Provider provider, LaunchDarklyKeySpec ld) {
    if (ld.type.shared() && !provider.spec().policyOrDefault().allowSharedKeyReset) {
      return Optional.of(provider.displayName() + " does not allow resetting an environment's shared key "
          + "(policy.allowSharedKeyReset is false): a reset breaks every other user of environment " + ld.environment
          + ". The current key keeps serving; remove the rotation request, or ask the provider's administrator");
    }
    return Optional.empty();
  }
}
