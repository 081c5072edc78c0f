package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.AdoptSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.RolloutTarget;
import dev.apikeyoperator.api.v1alpha1.SecretSpec;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.api.v1alpha1.AuthScheme;
import dev.apikeyoperator.issuer.fme.FmeClient;
import dev.apikeyoperator.issuer.fme.FmeCreatedKey;
import dev.apikeyoperator.issuer.fme.FmeEndpoint;
import dev.apikeyoperator.issuer.fme.FmeKeyRequest;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Taking existing keys under management, and restarting workloads when the key changes. */
class AdoptionAndRolloutIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  /** A key created by hand, outside the operator, put into Secret {@code secretName}. */
  static FmeCreatedKey legacyKey(String ns, String secretName, String keyName) {
    FmeClient fme = new FmeClient(FmeClient.defaultHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(5)),
        new FmeEndpoint(h.simulator.baseUrl(), KeyValue.of(h.simulator.adminToken()), AuthScheme.Bearer));
    FmeCreatedKey key = fme.create(new FmeKeyRequest(keyName, "server_side", h.simulator.projectId("Shop"),
        List.of(h.simulator.environmentId("Shop", "Production")), List.of()));
    h.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(secretName)
        .endMetadata().addToData("apiKey", Base64.getEncoder().encodeToString(
            key.value().reveal().getBytes(StandardCharsets.UTF_8))).build()).create();
    return key;
  }

  @Test
  void adoptedKeyIsManagedWithoutCreatingOneAndRevokedOnDelete() {
    String ns = h.namespaceWithProvider();
    FmeCreatedKey legacy = legacyKey(ns, "legacy", ns + "-legacy-by-hand");
    int createsBefore = h.simulator.createCount();
    ApiKey k = serverSideKey(ns, "adopter");
    k.getSpec().adopt = new AdoptSpec();
    k.getSpec().adopt.secretRef = new AdoptSpec.KeySecretRef();
    k.getSpec().adopt.secretRef.name = "legacy";
    h.create(k);
    h.awaitReason(ns, "adopter", "KeyReady");
    assertThat(h.simulator.createCount()).isEqualTo(createsBefore);
    assertThat(OperatorHarness.value(h.secret(ns, "adopter"), "apiKey")).isEqualTo(legacy.value().reveal());
    assertThat(h.get(ns, "adopter").getStatus().key.fingerprint).isEqualTo(legacy.value().fingerprint());

    h.client.resource(h.get(ns, "adopter")).delete();
    h.awaitGone(ns, "adopter");
    assertThat(h.allKeys(ns + "-legacy-by-hand")).singleElement().satisfies(s -> assertThat(s.active()).isFalse());
  }

  @Test
  void adoptionInPlaceTakesTheSecretOver() {
    String ns = h.namespaceWithProvider();
    FmeCreatedKey legacy = legacyKey(ns, "shared", ns + "-shared-by-hand");
    ApiKey k = serverSideKey(ns, "takeover");
    k.getSpec().secret = new SecretSpec();
    k.getSpec().secret.name = "shared";
    k.getSpec().adopt = new AdoptSpec();
    k.getSpec().adopt.secretRef = new AdoptSpec.KeySecretRef();
    k.getSpec().adopt.secretRef.name = "shared";
    k.getSpec().adopt.id = legacy.id();
    h.create(k);
    h.awaitReason(ns, "takeover", "KeyReady");
    var secret = h.secret(ns, "shared");
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("takeover"));
    assertThat(secret.getMetadata().getLabels()).containsEntry("apikeyoperator.dev/apikey", "takeover");
    assertThat(OperatorHarness.value(secret, "apiKey")).isEqualTo(legacy.value().reveal());
    // The id the tenant wrote is no vendor answer: the adopted key is revoked by its value (guarantee 8).
    assertThat(h.get(ns, "takeover").getStatus().key.id).isNull();
  }

  @Test
  void adoptingAMissingSecretIsReported() {
    String ns = h.namespaceWithProvider();
    ApiKey k = serverSideKey(ns, "nothing");
    k.getSpec().adopt = new AdoptSpec();
    k.getSpec().adopt.secretRef = new AdoptSpec.KeySecretRef();
    k.getSpec().adopt.secretRef.name = "nowhere";
    h.create(k);
    assertThat(h.awaitReason(ns, "nothing", "InvalidSpec").getMessage()).contains(ns + "/nowhere")
        .contains("does not exist");
    assertThat(h.allKeys(ns + "-")).isEmpty();
  }

  @Test
  void workloadsRestartOncePerKeyChangeOnly() {
    String ns = h.namespaceWithProvider();
    h.client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata()
        .withName("web").endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
        .addNewContainer().withName("web").withImage("nginx").endContainer().endSpec().endTemplate().endSpec()
        .build()).create();
    ApiKey k = RotationIT.withGrace(serverSideKey(ns, "rolling"), "0s");
    k.getSpec().rolloutRestartTargets = List.of(target("Deployment", "web"), target("StatefulSet", "gone"));
    h.create(k);
    h.awaitReason(ns, "rolling", "KeyReady");
    assertThat(stamp(ns)).as("the first key needs no restart").isNull();
    String rvBefore = deployment(ns).getMetadata().getResourceVersion();

    // An unrelated edit, and an operator restart, restart nothing.
    h.edit(ApiKey.class, ns, "rolling", a -> a.getSpec().secret = secretWithLabel());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.secret(ns, "rolling").getMetadata().getLabels()).containsEntry("tier", "web"));
    h.stopOperator();
    h.startOperator();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
        assertThat(deployment(ns).getMetadata().getResourceVersion()).isEqualTo(rvBefore));

    h.edit(ApiKey.class, ns, "rolling", a -> {
      a.getMetadata().setAnnotations(new HashMap<>(Map.of("apikeyoperator.dev/rotate-requested-at", "1")));
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(stamp(ns)).isEqualTo(h.get(ns, "rolling").getStatus().key.fingerprint));
    assertThat(h.client.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolloutTargetNotFound"))
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolloutRestarted"));
    assertThat(h.metrics.scrape()).containsPattern("apikey_operator_rollout_restarts_total [1-9]");
    h.awaitReason(ns, "rolling", "KeyReady");
  }

  private static SecretSpec secretWithLabel() {
    SecretSpec s = new SecretSpec();
    s.labels.put("tier", "web");
    return s;
  }

  private static Deployment deployment(String ns) {
    return h.client.apps().deployments().inNamespace(ns).withName("web").get();
  }

  private static String stamp(String ns) {
    var annotations = deployment(ns).getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get("apikeyoperator.dev/key-fingerprint");
  }

  private static RolloutTarget target(String kind, String name) {
    RolloutTarget t = new RolloutTarget();
    t.kind = RolloutTarget.Kind.valueOf(kind);
    t.name = name;
    return t;
  }
}
