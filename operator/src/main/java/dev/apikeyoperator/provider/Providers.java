package dev.apikeyoperator.provider;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.issuer.Provider;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;

/** Finds the provider an ApiKey names, from the operator's informer caches (no API call). */
public final class Providers {
  /** Name of the primary-cache index that maps a provider to the ApiKeys naming it. */
  public static final String INDEX = "apikeys-by-provider";

  private final InformerEventSource<ApiKeyProvider, ApiKey> namespaced;
  private final InformerEventSource<ClusterApiKeyProvider, ApiKey> cluster;

  public Providers(InformerEventSource<ApiKeyProvider, ApiKey> namespaced,
      InformerEventSource<ClusterApiKeyProvider, ApiKey> cluster) {
    this.namespaced = namespaced;
    this.cluster = cluster;
  }

  public Optional<Provider> find(ApiKey apiKey) {
    ProviderRef ref = apiKey.getSpec().providerRef;
    if (ref.kindOrDefault() == ProviderRef.Kind.ApiKeyProvider) {
      return namespaced.get(new ResourceID(ref.name, apiKey.getMetadata().getNamespace())).map(Providers::of);
    }
    return cluster.get(new ResourceID(ref.name)).map(Providers::of);
  }

  /** The provider a ledger names by {@link Provider#ref()}, from the caches. */
  public Optional<Provider> find(String ref) {
    String[] parts = ref.split("/", 3);
    if (parts.length != 3) {
      return Optional.empty();
    }
    if (ProviderRef.Kind.ApiKeyProvider.name().equals(parts[0])) {
      return namespaced.get(new ResourceID(parts[2], parts[1])).map(Providers::of);
    }
    return ProviderRef.Kind.ClusterApiKeyProvider.name().equals(parts[0])
        ? cluster.get(new ResourceID(parts[2])).map(Providers::of) : Optional.empty();
  }

  public static Provider of(ApiKeyProvider p) {
    return new Provider(ProviderRef.Kind.ApiKeyProvider, p.getMetadata().getName(), p.getMetadata().getNamespace(),
        p.getMetadata().getUid(), p.getSpec(), p.getStatus());
  }

  public static Provider of(ClusterApiKeyProvider p) {
    return new Provider(ProviderRef.Kind.ClusterApiKeyProvider, p.getMetadata().getName(), null,
        p.getMetadata().getUid(), p.getSpec(), p.getStatus());
  }

  /** Index key of the provider an ApiKey names. */
  public static List<String> indexKeyOf(ApiKey apiKey) {
    if (apiKey.getSpec() == null || apiKey.getSpec().providerRef == null) {
      return List.of();
    }
    ProviderRef ref = apiKey.getSpec().providerRef;
    return List.of(ref.kindOrDefault() == ProviderRef.Kind.ApiKeyProvider
        ? Provider.indexKey(ProviderRef.Kind.ApiKeyProvider, apiKey.getMetadata().getNamespace(), ref.name)
        : Provider.indexKey(ProviderRef.Kind.ClusterApiKeyProvider, null, ref.name));
  }

}
