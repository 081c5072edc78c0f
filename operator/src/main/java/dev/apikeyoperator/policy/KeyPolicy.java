package dev.apikeyoperator.policy;

import dev.apikeyoperator.customresource.AllowedNamespaces;
import dev.apikeyoperator.customresource.ApiKeySpec;
import dev.apikeyoperator.customresource.ClusterApiKeyProviderSpec;
import dev.apikeyoperator.customresource.FmeKeySpec;
import dev.apikeyoperator.customresource.FmeKeyType;
import dev.apikeyoperator.customresource.FmeRole;
import dev.apikeyoperator.customresource.NamespaceSelector;
import dev.apikeyoperator.customresource.ProviderPolicy;
import dev.apikeyoperator.customresource.StatsigKeyType;
import dev.apikeyoperator.provider.Provider;
import dev.apikeyoperator.issuer.fme.FmeEnvironment;
import dev.apikeyoperator.issuer.fme.FmeWorkspace;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who may mint which key through a provider. Every check runs before any vendor call that could create a key, and
 * each answer names the rule and the provider, so a tenant knows what to ask the platform team for.
 */
public final class KeyPolicy {
  private KeyPolicy() {}

  /** Whether a ClusterApiKeyProvider serves the ApiKey's namespace (names OR selector; omitted = all). */
  public static Optional<String> checkNamespace(Provider provider, String namespace, Namespace ns) {
    if (!(provider.spec() instanceof ClusterApiKeyProviderSpec cluster) || cluster.allowedNamespaces == null) {
      return Optional.empty();
    }
    AllowedNamespaces allowed = cluster.allowedNamespaces;
    boolean byName = allowed.names != null && allowed.names.contains(namespace);
    Map<String, String> labels = ns == null || ns.getMetadata().getLabels() == null ? Map.of()
        : ns.getMetadata().getLabels();
    boolean bySelector = allowed.selector != null && matches(allowed.selector, labels);
    if (byName || bySelector) {
      return Optional.empty();
    }
    return Optional.of(provider.displayName() + " does not serve namespace " + namespace + " (allowedNamespaces: "
        + describe(allowed) + "). Ask the platform team to add it, or use a provider that serves this namespace");
  }

  /** Type, roles and account limits: what can be decided from the spec alone. */
  public static Optional<String> checkRequest(Provider provider, ApiKeySpec spec) {
    if (spec.statsig != null) {
      List<StatsigKeyType> types = provider.spec().policyOrDefault().allowedStatsigTypesOrDefault();
      return types.contains(spec.statsig.type) ? Optional.empty()
          : Optional.of(provider.displayName() + " does not allow " + spec.statsig.type + " keys (policy."
              + "allowedStatsigTypes: " + types.stream().map(Enum::name).collect(Collectors.joining(", ")) + ")");
    }
    return checkFme(provider, spec.fme);
  }

  private static Optional<String> checkFme(Provider provider, FmeKeySpec fme) {
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

  static boolean matches(NamespaceSelector selector, Map<String, String> labels) {
    if (selector.matchLabels != null) {
      for (Map.Entry<String, String> e : selector.matchLabels.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.matchExpressions != null) {
      for (NamespaceSelector.Requirement r : selector.matchExpressions) {
        String value = labels.get(r.key);
        List<String> values = r.values == null ? List.of() : r.values;
        boolean ok = switch (r.operator == null ? "" : r.operator) {
          case "In" -> value != null && values.contains(value);
          case "NotIn" -> value == null || !values.contains(value);
          case "Exists" -> value != null;
          case "DoesNotExist" -> value == null;
          default -> false;
        };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  private static String describe(AllowedNamespaces allowed) {
    String names = allowed.names == null || allowed.names.isEmpty() ? "" : "names " + allowed.names;
    String selector = allowed.selector == null ? "" : "selector " + (allowed.selector.matchLabels == null
        ? "" : allowed.selector.matchLabels) + (allowed.selector.matchExpressions == null
        || allowed.selector.matchExpressions.isEmpty() ? "" : " with match expressions");
    return (names + (names.isEmpty() || selector.isEmpty() ? "" : " or ") + selector).strip();
  }
}
