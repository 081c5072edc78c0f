package dev.apikeyoperator.issuer;

import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ProviderStatus;
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
    return indexKey(kind, namespace, name);
  }

  /** How a provider is named in the ledger and in the ApiKeys' index: kind, namespace (empty for a cluster one), name. */
  public static String indexKey(ProviderRef.Kind kind, String namespace, String name) {
    return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
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
