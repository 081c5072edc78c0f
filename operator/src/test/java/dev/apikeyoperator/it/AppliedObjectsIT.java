package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.informercache.CachedApiKeys;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Objects as a real API server keeps them: made with {@code kubectl apply} (the last-applied annotation) and carrying
 * managedFields. The operator's caches keep neither (BENCHMARKS.md, issue 13); what it does must not change, and
 * its own writes must leave both where they are.
 */
class AppliedObjectsIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  private static ManagedFieldsEntry byKubectl() {
    return new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply").withOperation("Update")
        .withApiVersion("v1").withFieldsType("FieldsV1").build();
  }

  /** {@code k} as kubectl apply sends it: with the manifest in the last-applied annotation. */
  private static ApiKey applied(ApiKey k) {
    k.getMetadata().getAnnotations().put(CachedApiKeys.LAST_APPLIED, Serialization.asJson(k) + "\n");
    k.getMetadata().setManagedFields(List.of(byKubectl()));
    return k;
  }

  @Test
  void anAppliedKeyIsServedFollowedAndKeepsItsApplyRecord() {
    String ns = h.namespaceWithProvider();
    h.create(applied(serverSideKey(ns, "applied")));
    h.awaitReason(ns, "applied", "KeyReady");
    ApiKey served = h.get(ns, "applied");
    String record = served.getMetadata().getAnnotations().get(CachedApiKeys.LAST_APPLIED);
    assertThat(record).contains("\"name\":\"applied\"");
    assertThat(served.getMetadata().getFinalizers()).contains(ApiKey.FINALIZER);

    // re-applied with a changed spec: the operator follows it, and the apply record stays the user's
    ApiKey changed = serverSideKey(ns, "applied");
    changed.getSpec().secret = new dev.apikeyoperator.api.v1alpha1.SecretSpec();
    changed.getSpec().secret.labels.put("team", "shop");
    h.edit(ApiKey.class, ns, "applied", k -> {
      k.getSpec().secret = changed.getSpec().secret;
      k.getMetadata().getAnnotations().put(CachedApiKeys.LAST_APPLIED, Serialization.asJson(changed) + "\n");
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.secret(ns, "applied").getMetadata().getLabels()).containsEntry("team", "shop"));
    h.awaitReason(ns, "applied", "KeyReady");
    ApiKey after = h.get(ns, "applied");
    assertThat(after.getMetadata().getAnnotations().get(CachedApiKeys.LAST_APPLIED)).contains("\"team\":\"shop\"");
    assertThat(after.getStatus().observedGeneration).isEqualTo(after.getMetadata().getGeneration());
  }

  @Test
  void aSecretEditedByHandIsRestoredAndAnEditOfItsRecordsAloneIsLeftAlone() {
    String ns = h.namespaceWithProvider();
    h.create(applied(serverSideKey(ns, "healed")));
    h.awaitReason(ns, "healed", "KeyReady");
    String value = OperatorHarness.value(h.secret(ns, "healed"), "apiKey");

    Secret edited = new SecretBuilder(h.secret(ns, "healed")).editMetadata().withManagedFields(byKubectl())
        .addToAnnotations(CachedApiKeys.LAST_APPLIED, "{}").endMetadata()
        .withData(Map.of("apiKey", "eA==", "other", "eA==")).build();
    h.client.secrets().inNamespace(ns).resource(edited).update();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.secret(ns, "healed").getData()).containsOnlyKeys("apiKey"));
    assertThat(OperatorHarness.value(h.secret(ns, "healed"), "apiKey")).isEqualTo(value);
    assertThat(h.allKeys(ns + "-healed-")).hasSize(1);

    String version = h.secret(ns, "healed").getMetadata().getResourceVersion();
    Secret recordsOnly = new SecretBuilder(h.secret(ns, "healed")).editMetadata()
        .withManagedFields(byKubectl(), byKubectl()).endMetadata().build();
    h.client.secrets().inNamespace(ns).resource(recordsOnly).update();
    String touched = h.secret(ns, "healed").getMetadata().getResourceVersion();
    assertThat(touched).isNotEqualTo(version);
    h.edit(ApiKey.class, ns, "healed", k -> k.getMetadata().getAnnotations().put("poke", "1")); // a visit
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(h.secret(ns, "healed").getMetadata().getResourceVersion()).isEqualTo(touched));
  }
}
