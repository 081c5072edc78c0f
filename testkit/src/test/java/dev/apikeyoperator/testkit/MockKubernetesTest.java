package dev.apikeyoperator.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the operator's tests, the sandbox, e2e and bench rely on from the mock API server. */
class MockKubernetesTest {
  private static final Path CRDS = Path.of(System.getProperty("crds.dir", "../crds"));

  @Test
  void appliesEveryCrdOfTheDirectoryAndStoresItsResources() {
    try (MockKubernetes mock = MockKubernetes.start(CRDS)) {
      List<String> names = mock.client().apiextensions().v1().customResourceDefinitions().list().getItems()
          .stream().map(c -> c.getMetadata().getName()).sorted().toList();
      assertEquals(List.of("apikeyproviders.apikeyoperator.dev", "apikeys.apikeyoperator.dev",
          "clusterapikeyproviders.apikeyoperator.dev"), names);
      mock.createNamespace("shop");
      mock.createSecret("shop", "fme-admin", "token", "t0ken");
      assertEquals("dDBrZW4=", mock.client().secrets().inNamespace("shop").withName("fme-admin").get().getData()
          .get("token"));
    }
  }

  @Test
  void preloadedResourcesAreServedAsIfCreatedAndCanBeUpdated() {
    try (MockKubernetes mock = MockKubernetes.start(CRDS)) {
      mock.createNamespace("shop");
      int before = mock.storedResources();
      mock.preload(ResourceDefinitionContext.fromResourceType(Secret.class), List.of(
          "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\",\"namespace\":\"shop\","
              + "\"labels\":{\"app.kubernetes.io/managed-by\":\"apikey-operator\"}},\"data\":{\"k\":\"dDBrZW4=\"}}"));
      mock.preload(ApiKeyKinds.API_KEYS, List.of("{\"apiVersion\":\"apikeyoperator.dev/v1alpha1\","
              + "\"kind\":\"ApiKey\",\"metadata\":{\"name\":\"b\",\"namespace\":\"shop\",\"uid\":\"u-1\","
              + "\"finalizers\":[\"x/y\"]},\"spec\":{},"
              + "\"status\":{\"secretName\":\"a\"}}"));
      assertEquals(before + 2, mock.storedResources());
      var secret = mock.client().secrets().inNamespace("shop").withName("a").get();
      assertEquals("dDBrZW4=", secret.getData().get("k"));
      assertEquals(1, mock.client().secrets().inNamespace("shop")
          .withLabel("app.kubernetes.io/managed-by", "apikey-operator").list().getItems().size(),
          "a label-selected list (as the operator's Secret informer makes) finds a preloaded Secret");
      var apiKey = mock.client().genericKubernetesResources(ApiKeyKinds.API_KEYS).inNamespace("shop").list()
          .getItems();
      assertEquals(1, apiKey.size());
      assertEquals("u-1", apiKey.get(0).getMetadata().getUid());
      assertEquals(List.of("x/y"), apiKey.get(0).getMetadata().getFinalizers());
      assertEquals(java.util.Map.of("secretName", "a"), apiKey.get(0).getAdditionalProperties().get("status"));
      assertTrue(Long.parseLong(apiKey.get(0).getMetadata().getResourceVersion())
          > Long.parseLong(secret.getMetadata().getResourceVersion()));
      assertTrue(mock.storedAt("/api/v1/namespaces/shop/secrets/a").orElseThrow().contains("dDBrZW4="));
      assertTrue(mock.storedAt("/apis/apikeyoperator.dev/v1alpha1/namespaces/shop/apikeys/b").orElseThrow()
          .contains("u-1"));
      assertTrue(mock.storedAt("/api/v1/namespaces/shop/secrets/none").isEmpty());
      secret.getData().put("k", "bmV3");
      mock.client().secrets().inNamespace("shop").resource(secret).update();
      assertEquals("bmV3", mock.client().secrets().inNamespace("shop").withName("a").get().getData().get("k"));
      // the mock's update keys the resource its own way: never the old document (empty: the caller asks the mock)
      assertTrue(mock.storedAt("/api/v1/namespaces/shop/secrets/a").map(j -> j.contains("bmV3")).orElse(true));
    }
  }

  @Test
  void answersTheRulesReviewThatLeaderElectionSends() {
    try (MockKubernetes mock = MockKubernetes.start()) {
      SelfSubjectRulesReview review = mock.client().resource(new SelfSubjectRulesReviewBuilder().withNewSpec()
          .withNamespace("default").endSpec().build()).create();
      assertTrue(review.getStatus().getResourceRules().stream()
          .anyMatch(r -> r.getResources().contains("leases") && r.getVerbs().contains("update")));
    }
  }

  @Test
  void theKubeconfigPointsAChildProcessAtTheServer(@TempDir Path tmp) throws Exception {
    try (MockKubernetes mock = MockKubernetes.start(CRDS); Simulators sims = Simulators.fmeOnly()) {
      Path file = mock.writeKubeconfig(tmp.resolve("sub/kubeconfig"), "test-token", "kill9");
      Config config = Config.fromKubeconfig(Files.readString(file));
      assertEquals("kill9", config.getNamespace());
      assertTrue(config.getMasterUrl().contains("localhost:" + mock.server().getPort()), config.getMasterUrl());
      mock.namespaceWithFmeProvider("kill9", sims.fme(), 5);
      try (KubernetesClient child = new KubernetesClientBuilder().withConfig(config).build()) {
        var provider = child.genericKubernetesResources(ApiKeyKinds.PROVIDERS).inNamespace("kill9").withName("fme")
            .get();
        assertEquals(sims.fme().baseUrl(), ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) provider
            .getAdditionalProperties().get("spec")).get("fme")).get("baseUrl"));
      }
      assertFalse(Files.readString(mock.writeKubeconfig(tmp.resolve("k2"), "t", null)).contains("namespace:"));
    }
  }
}
