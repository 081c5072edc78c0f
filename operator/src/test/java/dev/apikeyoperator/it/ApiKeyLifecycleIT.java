package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.DeletionPolicy;
import dev.apikeyoperator.simulator.SimKey;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiKeyLifecycleIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  @Test
  void createdKeyIsInTheSecretAndRevokedOnDelete() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "checkout"));

    StatusCondition ready = h.awaitReason(ns, "checkout", "KeyReady");
    assertThat(ready.getStatus()).isEqualTo("True");
    ApiKey k = h.get(ns, "checkout");
    assertThat(k.getStatus().observedGeneration).isEqualTo(k.getMetadata().getGeneration());
    assertThat(k.getStatus().secretName).isEqualTo("checkout");
    assertThat(k.getStatus().key.name).startsWith(ns + "-checkout-");

    List<SimKey> active = h.activeKeys(ns + "-checkout-");
    assertThat(active).hasSize(1);
    SimKey key = active.get(0);
    assertThat(key.type()).isEqualTo("server_side");
    assertThat(key.workspaceId()).isEqualTo(h.simulator.projectId("Shop"));
    assertThat(key.environmentIds()).containsExactly(h.simulator.environmentId("Shop", "Production"));

    Secret secret = h.secret(ns, "checkout");
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(OperatorHarness.value(secret, "apiKey")).isEqualTo(key.key());
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "apikey-operator")
        .containsEntry("apikeyoperator.dev/apikey", "checkout");
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry("apikeyoperator.dev/key-fingerprint", k.getStatus().key.fingerprint);
    assertThat(k.getStatus().key.fingerprint).matches("sha256:[0-9a-f]{16}");
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getUid()).isEqualTo(k.getMetadata().getUid());
      assertThat(o.getController()).isTrue();
    });
    assertThat(k.getMetadata().getFinalizers()).contains("apikeyoperator.dev/revoke");

    h.client.resource(k).delete();
    h.awaitGone(ns, "checkout");
    assertThat(h.allKeys(ns + "-checkout-")).singleElement().satisfies(s -> assertThat(s.active()).isFalse());
    assertThat(h.metrics.scrape())
        .contains("apikey_operator_vendor_requests_seconds_count{operation=\"POST /apiKeys\",status=\"201\",vendor=\"fme\"}")
        .contains("apikey_operator_vendor_requests_seconds_count{operation=\"DELETE /apiKeys/{id}\"")
        .containsPattern("apikey_operator_keys_revoked_total [1-9]");
  }

  @Test
  void secretNameKeyLabelsAndAnnotationsFollowTheSpec() {
    String ns = h.namespaceWithProvider();
    ApiKey k = serverSideKey(ns, "web");
    k.getSpec().secret = new dev.apikeyoperator.api.v1alpha1.SecretSpec();
    k.getSpec().secret.name = "web-fme";
    k.getSpec().secret.key = "SPLIT_KEY";
    k.getSpec().secret.labels.put("team", "shop");
    k.getSpec().secret.annotations.put("note", "mounted by web");
    k.getSpec().keyName = "web-frontend";
    h.editProvider(ns, OperatorHarness.PROVIDER, p -> p.getSpec().keyNamePrefix = "eu1-");
    h.create(k);
    h.awaitReason(ns, "web", "KeyReady");
    Secret secret = h.secret(ns, "web-fme");
    SimKey key = h.activeKeys("eu1-web-frontend-").get(0);
    assertThat(h.get(ns, "web").getStatus().key.name).isEqualTo(key.name()).matches("eu1-web-frontend-[a-z0-9]{6}");
    assertThat(OperatorHarness.value(secret, "SPLIT_KEY")).isEqualTo(key.key());
    assertThat(secret.getMetadata().getLabels()).containsEntry("team", "shop");
    assertThat(secret.getMetadata().getAnnotations()).containsEntry("note", "mounted by web");

    // Changing only labels never mints a key.
    ApiKey live = h.get(ns, "web");
    live.getSpec().secret.labels.put("tier", "frontend");
    h.client.resource(live).update();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.secret(ns, "web-fme").getMetadata().getLabels()).containsEntry("tier", "frontend"));
    assertThat(h.allKeys("eu1-web-frontend-")).hasSize(1);
    assertThat(OperatorHarness.value(h.secret(ns, "web-fme"), "SPLIT_KEY")).isEqualTo(key.key());
  }

  @Test
  void orphanKeepsTheKeyAndTheSecret() {
    String ns = h.namespaceWithProvider();
    ApiKey k = serverSideKey(ns, "legacy");
    k.getSpec().deletionPolicy = DeletionPolicy.Orphan;
    h.create(k);
    h.awaitReason(ns, "legacy", "KeyReady");
    h.client.resource(h.get(ns, "legacy")).delete();
    h.awaitGone(ns, "legacy");
    assertThat(h.activeKeys(ns + "-legacy-")).hasSize(1);
    Secret secret = h.secret(ns, "legacy");
    assertThat(secret).isNotNull();
    assertThat(secret.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(OperatorHarness.value(secret, "apiKey")).isEqualTo(h.activeKeys(ns + "-legacy-").get(0).key());
  }

  @Test
  void providerCreatedAfterTheApiKey() {
    String ns = h.newNamespace();
    h.create(serverSideKey(ns, "early"));
    StatusCondition c = h.awaitReason(ns, "early", "ProviderNotFound");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getMessage()).contains("ApiKeyProvider " + ns + "/fme does not exist");
    assertThat(h.allKeys(ns + "-early-")).isEmpty();

    h.credentials(ns, "fme-admin", h.simulator.adminToken());
    h.provider(ns, OperatorHarness.PROVIDER, "fme-admin");
    h.awaitReason(ns, "early", "KeyReady");
    assertThat(h.activeKeys(ns + "-early-")).hasSize(1);
  }
}
