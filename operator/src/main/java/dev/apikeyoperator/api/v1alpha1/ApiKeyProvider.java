package dev.apikeyoperator.api.v1alpha1;

import dev.apikeyoperator.lenientread.LenientDeserializer;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A vendor account that mints keys for the ApiKeys of its own namespace. */
@Group(ApiKey.GROUP)
@Version(ApiKey.VERSION)
@Plural("apikeyproviders")
@Singular("apikeyprovider")
@Categories("apikeys")
public class ApiKeyProvider extends CustomResource<ApiKeyProviderSpec, ProviderStatus> implements Namespaced {
  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The vendor account, its credentials and what keys it may mint.")
  public ApiKeyProviderSpec getSpec() {
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
  public void setSpec(ApiKeyProviderSpec spec) {
    super.setSpec(spec);
  }

  /** Read leniently too: a status written by another operator version must not stop this one. */
  @Override
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = LenientDeserializer.class)
  public void setStatus(ProviderStatus status) {
    super.setStatus(status);
  }
}
