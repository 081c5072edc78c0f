package dev.apikeyoperator.provider;

import dev.apikeyoperator.customresource.CredentialsSecretRef;
import dev.apikeyoperator.customresource.ProviderSpec;
import dev.apikeyoperator.customresource.ProviderStatus;
import dev.apikeyoperator.customresource.ProviderRef;

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

  /** The credentials Secret reference of whichever vendor block the provider has. */
  public CredentialsSecretRef credentialsRef() {
    if (spec.statsig != null) {
      return spec.statsig.credentials == null ? null : spec.statsig.credentials.secretRef;
    }
    return spec.fme == null || spec.fme.credentials == null ? null : spec.fme.credentials.secretRef;
  }

  public String baseUrl() {
    return spec.statsig != null ? spec.statsig.baseUrlOrDefault() : spec.fme.baseUrlOrDefault();
  }

  /** How messages name it, e.g. "ClusterApiKeyProvider fme-production". */
  public String displayName() {
    return kind == ProviderRef.Kind.ApiKeyProvider ? kind + " " + namespace + "/" + name : kind + " " + name;
  }
}
