package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.status.Conditions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantee 7's first half: an object this operator version cannot read (a value of a newer CRD, a CRD applied
 * without its schema, a downgraded operator) is reported on that object and never stops the operator for everyone
 * else. The mock API server has no admission validation, so these objects reach the informers as they would on a
 * cluster whose CRD lost its enum.
 */
class UnreadableObjectsIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  private static final String API_VERSION = "apikeyoperator.dev/v1alpha1";

  private static void createRaw(String ns, String kind, String name, String spec) {
    String json = "{\"apiVersion\":\"" + API_VERSION + "\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\""
        + name + "\"" + (ns == null ? "" : ",\"namespace\":\"" + ns + "\"") + "},\"spec\":" + spec + "}";
    GenericKubernetesResource r = Serialization.unmarshal(json, GenericKubernetesResource.class);
    var resources = h.client.genericKubernetesResources(API_VERSION, kind);
    (ns == null ? resources.resource(r) : resources.inNamespace(ns).resource(r)).create();
  }

  private static String fmeSpec(String fme) {
    return "{\"providerRef\":{\"name\":\"fme\"},\"fme\":" + fme + "}";
  }

  @Test
  void unknownValuesAreInvalidSpecNamingTheFieldAndOthersGoOn() {
    String ns = h.namespaceWithProvider();
    createRaw(ns, "ApiKey", "god", fmeSpec("{\"type\":\"admin\",\"roles\":[\"API_GOD\"]}"));
    createRaw(ns, "ApiKey", "superuser", fmeSpec("{\"type\":\"superuser\",\"project\":{\"name\":\"Shop\"},"
        + "\"environments\":[{\"name\":\"Production\"}]}"));
    createRaw(ns, "ApiKey", "shapes", "{\"providerRef\":\"fme\",\"fme\":{\"type\":\"server_side\","
        + "\"environments\":\"Production\"}}");

    assertThat(h.awaitReason(ns, "god", "InvalidSpec").getMessage())
        .contains("spec.fme.roles[0]: 'API_GOD' is not one of API_ALL_GRANTED").contains("No key was created");
    assertThat(h.awaitReason(ns, "superuser", "InvalidSpec").getMessage())
        .contains("spec.fme.type: 'superuser' is not one of");
    assertThat(h.awaitReason(ns, "shapes", "InvalidSpec").getMessage())
        .contains("spec.providerRef").contains("spec.fme.environments");

    String other = h.namespaceWithProvider();
    h.create(serverSideKey(other, "fine"));
    h.awaitReason(other, "fine", "KeyReady");
    assertThat(h.allKeys(ns + "-")).isEmpty();

    // Deleting them needs nothing revoked: they go.
    for (String name : new String[] {"god", "superuser", "shapes"}) {
      h.client.resource(h.get(ns, name)).delete();
      h.awaitGone(ns, name);
    }
  }

  @Test
  void unknownFieldsAreIgnoredWithAWarning() {
    String ns = h.namespaceWithProvider();
    createRaw(ns, "ApiKey", "newer", "{\"providerRef\":{\"name\":\"fme\"},\"fme\":{\"type\":\"server_side\","
        + "\"project\":{\"name\":\"Shop\"},\"environments\":[{\"name\":\"Production\"}]},"
        + "\"secret\":{\"format\":{\"data\":{\"A\":\"x\"}}},\"someFutureField\":true}");
    h.awaitReason(ns, "newer", "KeyReady");
    assertThat(h.secret(ns, "newer")).isNotNull();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(h.client.v1().events().inNamespace(ns).list().getItems())
            .anySatisfy(e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("UnknownFields");
              assertThat(e.getMessage()).contains("spec.secret.format").contains("spec.someFutureField");
            }));
  }

  @Test
  void anUnreadableObjectPresentAtStartDoesNotStopTheOperator() {
    String ns = h.namespaceWithProvider();
    h.stopOperator();
    try {
      createRaw(ns, "ApiKey", "at-start", fmeSpec("{\"type\":\"superuser\"}"));
      createRaw(null, "ClusterApiKeyProvider", "bad-scheme-" + ns, "{\"fme\":{\"credentials\":{\"secretRef\":"
          + "{\"name\":\"s\",\"namespace\":\"" + ns + "\"},\"scheme\":\"Basic\"}}}");
    } finally {
      h.startOperator();
    }
    h.awaitReason(ns, "at-start", "InvalidSpec");
    h.create(serverSideKey(ns, "after-start"));
    h.awaitReason(ns, "after-start", "KeyReady");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var p = h.client.resources(dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider.class)
          .withName("bad-scheme-" + ns).get();
      assertThat(p.getStatus()).isNotNull();
      StatusCondition ready = Conditions.find(p.getStatus().conditions, Conditions.READY).orElseThrow();
      assertThat(ready.getReason()).isEqualTo("InvalidSpec");
      assertThat(ready.getMessage()).contains("spec.fme.credentials.scheme: 'Basic' is not one of");
    });
  }

  @Test
  void aDeletedUnreadableApiKeyWithAKeyWaitsAndSaysWhy() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "live"));
    h.awaitReason(ns, "live", "KeyReady");
    // Its deletionPolicy becomes a value this version does not know (a newer CRD's): revoking by default could be
    // wrong, so the deletion waits.
    var raw = h.client.genericKubernetesResources(API_VERSION, "ApiKey").inNamespace(ns).withName("live").get();
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> spec = (java.util.Map<String, Object>) raw.getAdditionalProperties().get("spec");
    spec.put("deletionPolicy", "Retain");
    h.client.genericKubernetesResources(API_VERSION, "ApiKey").inNamespace(ns).resource(raw).update();
    h.awaitReason(ns, "live", "InvalidSpec");
    h.client.resource(h.get(ns, "live")).delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(h.synced(ns, "live")).get().extracting(StatusCondition::getMessage).asString()
            .startsWith("Deletion waits: the spec cannot be read").contains("spec.deletionPolicy"));
    assertThat(h.activeKeys(ns + "-live-")).hasSize(1);
    ApiKey stillThere = h.get(ns, "live");
    assertThat(stillThere.getMetadata().getFinalizers()).contains(ApiKey.FINALIZER);
    // Fixed: the deletion goes on and revokes the key.
    raw = h.client.genericKubernetesResources(API_VERSION, "ApiKey").inNamespace(ns).withName("live").get();
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> fixed = (java.util.Map<String, Object>) raw.getAdditionalProperties().get("spec");
    fixed.put("deletionPolicy", "Delete");
    h.client.genericKubernetesResources(API_VERSION, "ApiKey").inNamespace(ns).resource(raw).update();
    h.awaitGone(ns, "live");
    assertThat(h.activeKeys(ns + "-live-")).isEmpty();
  }
}
