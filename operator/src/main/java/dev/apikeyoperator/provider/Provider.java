package dev.apikeyoperator.provider;

import dev.apikeyoperator.customresource.CredentialsSecretRef;
import dev.apikeyoperator.customresource.ProviderSpec;
import dev.apikeyoperator.customresource.ProviderStatus;
import dev.apikeyoperator.customresource.ProviderRef;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.pacing.Pacing;
import java.util.Optional;

/** A provider an ApiKey refers to, whichever its kind. */
public record Provider(ProviderRef.Kind kind, String name, String namespace, String uid, ProviderSpec spec,
    ProviderStatus status) {

  /** Where the credentials Secret lives: the provider's own namespace, or the one its secretRef names. */
  public String credentialsNamespace() {
    if (kind == ProviderRef.Kind.ApiKeyProvider) {
      return namespace;
    }
    CredentialsSecretRef ref = credentialsRef();
    return ref == null ? null : ref.namespace;
  }

  /** The vendor this provider is an account of (empty when its spec names none). */
  public Optional<Vendor> vendor() {
    return Vendors.ofProvider(spec);
  }

  /** The credentials Secret reference of whichever vendor block the provider has. */
  public CredentialsSecretRef credentialsRef() {
    return vendor().map(v -> v.credentialsRef(spec)).orElse(null);
  }

  public String baseUrl() {
    return vendor().orElseThrow().baseUrl(spec);
  }

  /** The provider as a ledger records it (kind, namespace, name): which one minted a key. */
  public String ref() {
    return Providers.indexKey(kind, namespace, name);
  }

  /** The tenant its own check counts against (see {@link Pacing#tenantOf(ProviderRef.Kind, String, String)}). */
  public String tenant() {
    return Pacing.tenantOf(kind, namespace, name);
  }

  /** How messages name it, e.g. "ClusterApiKeyProvider fme-production". */
  public String displayName() {
    return kind == ProviderRef.Kind.ApiKeyProvider ? kind + " " + namespace + "/" + name : kind + " " + name;
  }
}
