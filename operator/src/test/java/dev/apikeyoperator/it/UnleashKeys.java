package dev.apikeyoperator.it;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.UnleashKeySpec;
import dev.apikeyoperator.api.v1alpha1.UnleashProviderSpec;
import dev.apikeyoperator.api.v1alpha1.UnleashTokenType;
import java.util.ArrayList;
import java.util.List;

/** Unleash providers and ApiKeys for the operator ITs, against the simulator or the real server. */
public final class UnleashKeys {
  public static final String PROVIDER = "unleash";
  public static final String CREDENTIALS = "unleash-admin";

  private UnleashKeys() {}

  /** A fresh namespace with ApiKeyProvider "unleash" calling {@code baseUrl} with {@code adminToken}. */
  public static String namespaceWithProvider(OperatorHarness h, String baseUrl, String adminToken) {
    String ns = h.newNamespace();
    h.credentials(ns, CREDENTIALS, adminToken);
    ApiKeyProvider p = new ApiKeyProvider();
    p.getMetadata().setName(PROVIDER);
    p.getMetadata().setNamespace(ns);
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.unleash = new UnleashProviderSpec();
    spec.unleash.baseUrl = baseUrl;
    spec.unleash.credentials = new UnleashProviderSpec.Credentials();
    spec.unleash.credentials.secretRef = new CredentialsSecretRef();
    spec.unleash.credentials.secretRef.name = CREDENTIALS;
    p.setSpec(spec);
    h.client.resource(p).create();
    return ns;
  }

  /** A backend token for environment development, project default. */
  public static ApiKey backendToken(String ns, String name) {
    ApiKey k = new ApiKey();
    k.getMetadata().setName(name);
    k.getMetadata().setNamespace(ns);
    ApiKeySpec spec = new ApiKeySpec();
    spec.providerRef = new ProviderRef();
    spec.providerRef.name = PROVIDER;
    spec.unleash = new UnleashKeySpec();
    spec.unleash.type = UnleashTokenType.backend;
    spec.unleash.environment = "development";
    spec.unleash.projects = new ArrayList<>(List.of("default"));
    k.setSpec(spec);
    return k;
  }
}
