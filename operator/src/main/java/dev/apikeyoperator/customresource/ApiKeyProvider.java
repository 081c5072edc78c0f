package dev.apikeyoperator.customresource;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** A vendor account that mints keys for the ApiKeys of its own namespace. */
@Group(ApiKey.GROUP)
@Version(ApiKey.VERSION)
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
}
