package dev.apikeyoperator.testkit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/**
 * The operator's kinds as generic resources, for programs that run the operator as a separate process and use none
 * of its classes (the kill -9 test, the benchmark).
 */
public final class ApiKeyKinds {
  public static final String GROUP = "apikeyoperator.dev";
  public static final String API_VERSION = GROUP + "/v1alpha1";
  public static final ResourceDefinitionContext API_KEYS = new ResourceDefinitionContext.Builder()
      .withGroup(GROUP).withVersion("v1alpha1").withKind("ApiKey").withPlural("apikeys").withNamespaced(true).build();
  public static final ResourceDefinitionContext PROVIDERS = new ResourceDefinitionContext.Builder()
      .withGroup(GROUP).withVersion("v1alpha1").withKind("ApiKeyProvider").withPlural("apikeyproviders")
      .withNamespaced(true).build();

  private ApiKeyKinds() {}

  /** A resource of {@code kind} (one of this group's) named {@code ns/name} with {@code spec}. */
  public static GenericKubernetesResource resource(String ns, String kind, String name, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(API_VERSION);
    r.setKind(kind);
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    r.setAdditionalProperty("spec", spec);
    return r;
  }
}
