package dev.apikeyoperator.policy;

import dev.apikeyoperator.api.v1alpha1.AllowedNamespaces;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.NamespaceSelector;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.issuer.Provider;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /** Type, roles and account limits: what can be decided from the spec alone (each vendor has its rules). */
  public static Optional<String> checkRequest(Provider provider, ApiKeySpec spec) {
    return Vendors.of(spec).checkRequest(provider, spec);
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
