package dev.apikeyoperator.issuer.fme;

import dev.apikeyoperator.api.v1alpha1.FmeKeySpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeRole;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.issuer.Provider;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which FME keys a provider may mint: type, roles and account limits from the spec alone, then project and
 * environments after name resolution. Each answer names the rule and the provider.
 */
public final class FmePolicy {
  private FmePolicy() {}

  public static Optional<String> checkRequest(Provider provider, FmeKeySpec fme) {
    ProviderPolicy policy = provider.spec().policyOrDefault();
    List<FmeKeyType> types = policy.allowedTypesOrDefault();
    if (!types.contains(fme.type)) {
      return Optional.of(provider.displayName() + " does not allow " + fme.type.wire() + " keys (policy.allowedTypes: "
          + types.stream().map(FmeKeyType::wire).collect(Collectors.joining(", ")) + ")");
    }
    if (fme.type == FmeKeyType.ADMIN && provider.spec().fme != null && provider.spec().fme.harnessMigrated) {
      return Optional.of(provider.displayName() + " is a Harness-migrated account (fme.harnessMigrated: true), where "
          + "admin keys can no longer be created through this API: use a Harness service account and token instead");
    }
    List<FmeRole> allowedRoles = policy.allowedRoles == null ? List.of() : policy.allowedRoles;
    List<FmeRole> denied = fme.roles == null ? List.of()
        : fme.roles.stream().filter(r -> !allowedRoles.contains(r)).distinct().toList();
    if (!denied.isEmpty()) {
      return Optional.of(provider.displayName() + " does not allow the role(s) "
          + denied.stream().map(Enum::name).collect(Collectors.joining(", ")) + " (policy.allowedRoles: "
          + (allowedRoles.isEmpty() ? "none" : allowedRoles.stream().map(Enum::name).collect(Collectors.joining(", ")))
          + ")");
    }
    return Optional.empty();
  }

  /** Project and environments, compared after name-to-id resolution (an entry may be a name or an id). */
  public static Optional<String> checkScope(Provider provider, FmeWorkspace workspace,
      List<FmeEnvironment> environments) {
    return checkProject(provider, workspace).or(() -> checkEnvironments(provider, environments));
  }

  /** The project alone: checked before its environments are looked up, so a forbidden project is never listed. */
  public static Optional<String> checkProject(Provider provider, FmeWorkspace workspace) {
    ProviderPolicy policy = provider.spec().policyOrDefault();
    List<String> projects = policy.allowedProjects == null ? List.of() : policy.allowedProjects;
    if (!projects.isEmpty()) {
      if (workspace == null) {
        return Optional.of(provider.displayName() + " allows only keys scoped to the projects " + projects
            + " (policy.allowedProjects); a global admin key is not allowed");
      }
      if (!projects.contains(workspace.id()) && !projects.contains(workspace.name())) {
        return Optional.of(provider.displayName() + " does not allow project " + workspace.name() + " (policy."
            + "allowedProjects: " + String.join(", ", projects) + ")");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> checkEnvironments(Provider provider, List<FmeEnvironment> environments) {
    ProviderPolicy policy = provider.spec().policyOrDefault();
    List<String> envs = policy.allowedEnvironments == null ? List.of() : policy.allowedEnvironments;
    if (!envs.isEmpty()) {
      if (environments.isEmpty()) {
        return Optional.of(provider.displayName() + " allows only keys scoped to the environments " + envs
            + " (policy.allowedEnvironments); a key for all environments is not allowed");
      }
      for (FmeEnvironment e : environments) {
        if (!envs.contains(e.id()) && !envs.contains(e.name())) {
          return Optional.of(provider.displayName() + " does not allow environment " + e.name() + " (policy."
              + "allowedEnvironments: " + String.join(", ", envs) + ")");
        }
      }
    }
    return Optional.empty();
  }
}
