package dev.apikeyoperator.provider;

import dev.apikeyoperator.customresource.ProviderSpec;
import dev.apikeyoperator.customresource.ProviderStatus;
import dev.apikeyoperator.customresource.ProviderRef;

/** A provider an ApiKey refers to, whichever its kind. */
public record Provider(ProviderRef.Kind kind, String name, String namespace, String uid, ProviderSpec spec,
    ProviderStatus status) {

  /** Where the credentials Secret lives: the provider's own namespace, or the one its secretRef names. */
  public String credentialsNamespace() {
    return kind == ProviderRef.Kind.ApiKeyProvider ? namespace : spec.fme.credentials.secretRef.namespace;
  }

  /** How messages name it, e.g. "ClusterApiKeyProvider fme-production". */
  public String displayName() {
    return kind == ProviderRef.Kind.ApiKeyProvider ? kind + " " + namespace + "/" + name : kind + " " + name;
  }
}
