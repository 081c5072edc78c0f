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
public class ApiKeyProvider extends CustomResource<ApiKeyProviderSpec, ProviderStatus> implements Namespaced {}
