package dev.apikeyoperator.lifecycle;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.ProviderRef;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.policy.KeyPolicy;
import dev.apikeyoperator.provider.Provider;
import dev.apikeyoperator.status.Reason;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an ApiKey must pass with its provider before any vendor call (settling a pending creation included): the
 * provider exists, is of the key's vendor, serves the key's namespace, and its policy allows the request.
 */
final class ProviderGates {
  private final Function<String, Optional<Namespace>> namespaces;

  ProviderGates(Function<String, Optional<Namespace>> namespaces) {
    this.namespaces = namespaces;
  }

  /** Gates that need the provider: the same vendor, a namespace it serves, a request its policy allows. */
  void check(ApiKey apiKey, Provider provider, LedgerKey current) throws StatusException {
    checkVendor(apiKey, provider, current);
    String namespace = apiKey.getMetadata().getNamespace();
    Optional<String> notServed = KeyPolicy.checkNamespace(provider, namespace, namespaces.apply(namespace)
        .orElse(null));
    if (notServed.isPresent()) {
      throw new StatusException(Reason.NamespaceNotAllowed, notServed.get() + Messages.keptOrNone(current), null);
    }
    Optional<String> denied = KeyPolicy.checkRequest(provider, apiKey.getSpec());
    if (denied.isPresent()) {
      throw new StatusException(Reason.PolicyDenied, denied.get() + Messages.keptOrNone(current), null);
    }
  }

  /** The one gate a revocation passes: the provider is an account of the key's vendor. */
  void checkVendor(ApiKey apiKey, Provider provider, LedgerKey current) throws StatusException {
    Vendor keyVendor = Vendors.of(apiKey.getSpec());
    Optional<Vendor> providerVendor = provider.vendor();
    if (providerVendor.isPresent() && providerVendor.get() != keyVendor) {
      throw new StatusException(Reason.InvalidSpec, Messages.wrongVendor(provider.displayName(),
          providerVendor.get().name(), keyVendor.name(), current), null);
    }
  }

  static StatusException notFound(ApiKey apiKey) {
    ProviderRef ref = apiKey.getSpec().providerRef;
    String where = ref.kindOrDefault() == ProviderRef.Kind.ApiKeyProvider
        ? "ApiKeyProvider " + apiKey.getMetadata().getNamespace() + "/" + ref.name
        : "ClusterApiKeyProvider " + ref.name;
    return new StatusException(Reason.ProviderNotFound, Messages.providerNotFound(where), null);
  }
}
