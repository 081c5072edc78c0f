package dev.apikeyoperator.api.v1alpha1;

import dev.apikeyoperator.lenientread.LenientDeserializer;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A vendor account that mints keys for ApiKeys in any namespace. */
@Group(ApiKey.GROUP)
@Version(ApiKey.VERSION)
@Plural("clusterapikeyproviders")
@Singular("clusterapikeyprovider")
@Categories("apikeys")
public class ClusterApiKeyProvider extends CustomResource<ClusterApiKeyProviderSpec, ProviderStatus> {
  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The vendor account, its credentials, the namespaces served and what keys it may mint.")
  public ClusterApiKeyProviderSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Whether the provider can be used: the Ready condition.")
  public ProviderStatus getStatus() {
    return super.getStatus();
  }

  /** Read leniently: an unreadable value becomes an InvalidSpec naming the field, never a stopped informer. */
  @Override
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = LenientDeserializer.class)
  public void setSpec(ClusterApiKeyProviderSpec spec) {
    super.setSpec(spec);
  }

  /** Read leniently too: a status written by another operator version must not stop this one. */
  @Override
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = LenientDeserializer.class)
  public void setStatus(ProviderStatus status) {
    super.setStatus(status);
  }
}
