package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.secret.ManagedSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a restarted operator does with the state a previous process left in Kubernetes. */
class RestartIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  @Test
  void restartWithReadyKeysMakesNoVendorCallAndNoWrite() {
    String ns = h.namespaceWithProvider();
    for (int i = 0; i < 5; i++) {
      h.create(serverSideKey(ns, "steady-" + i));
    }
    for (int i = 0; i < 5; i++) {
      h.awaitReason(ns, "steady-" + i, "KeyReady");
    }
    Map<String, Secret> before = new java.util.HashMap<>();
    for (int i = 0; i < 5; i++) {
      before.put("steady-" + i, h.secret(ns, "steady-" + i));
    }
    String statusBefore = h.get(ns, "steady-0").getMetadata().getResourceVersion();
    h.stopOperator();
    // what the stopped operator still had under way is counted before the restart, not after it
    int[] settled = {apiKeyCalls()};
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> {
      int now = apiKeyCalls();
      boolean same = now == settled[0];
      settled[0] = now;
      return same;
    });
    int createsBefore = h.simulator.createCount();
    int apiKeyCallsBefore = apiKeyCalls();
    Map<String, Integer> callsBefore = h.simulator.requestCounts();
    h.startOperator();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
      assertThat(h.simulator.createCount()).isEqualTo(createsBefore);
      assertThat(apiKeyCalls()).as("vendor requests before the restart %s, now %s", callsBefore,
          h.simulator.requestCounts()).isEqualTo(apiKeyCallsBefore);
    });
    for (int i = 0; i < 5; i++) {
      assertThat(h.secret(ns, "steady-" + i).getMetadata().getResourceVersion())
          .isEqualTo(before.get("steady-" + i).getMetadata().getResourceVersion());
    }
    assertThat(h.get(ns, "steady-0").getMetadata().getResourceVersion()).isEqualTo(statusBefore);
  }

  @Test
  void intentWithoutOutcomeAfterRestartIsIndeterminate() {
    String ns = h.namespaceWithProvider();
    h.stopOperator();
    // What a process killed between the vendor's answer and its outcome write leaves behind: the ApiKey with its
    // finalizer, and a ledger that holds only the intent.
    ApiKey k = serverSideKey(ns, "crashed");
    k.getMetadata().setFinalizers(java.util.List.of("apikeyoperator.dev/revoke"));
    ApiKey created = h.create(k);
    h.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata()
        .withName(ManagedSecrets.ledgerName("crashed"))
        .withLabels(Map.of("app.kubernetes.io/managed-by", "apikey-operator", ManagedSecrets.LEDGER_LABEL, "crashed"))
        .addNewOwnerReference().withApiVersion("apikeyoperator.dev/v1alpha1").withKind("ApiKey")
          .withName("crashed").withUid(created.getMetadata().getUid()).withController(false).endOwnerReference()
        .endMetadata()
        .addToData("ledger.json", java.util.Base64.getEncoder().encodeToString(("{\"version\":1,\"pending\":"
            + "{\"name\":\"" + ns + "-crashed-abc123\",\"startedAt\":\"2026-11-23T10:00:00Z\"},\"previous\":[]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .build()).create();
    h.sealLedger(ns, "crashed"); // as the killed process wrote it
    int createsBefore = h.simulator.createCount();
    h.startOperator();
    StatusCondition c = h.awaitReason(ns, "crashed", "CreationIndeterminate");
    assertThat(c.getMessage()).contains(ns + "-crashed-abc123");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
        assertThat(h.simulator.createCount()).isEqualTo(createsBefore));
    assertThat(h.client.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getReason()).isEqualTo("CreationIndeterminate");
        });

    ApiKey live = h.get(ns, "crashed");
    live.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(
        "apikeyoperator.dev/acknowledge-indeterminate", ns + "-crashed-abc123")));
    h.client.resource(live).update();
    h.awaitReason(ns, "crashed", "KeyReady");
    assertThat(h.simulator.createCount()).isEqualTo(createsBefore + 1);
  }

  @Test
  void deletedOrEditedSecretIsRestoredWithTheSameKey() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "heal"));
    h.awaitReason(ns, "heal", "KeyReady");
    String value = OperatorHarness.value(h.secret(ns, "heal"), "apiKey");

    h.client.secrets().inNamespace(ns).withName("heal").delete();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.secret(ns, "heal")).isNotNull());
    assertThat(OperatorHarness.value(h.secret(ns, "heal"), "apiKey")).isEqualTo(value);

    Secret edited = new SecretBuilder(h.secret(ns, "heal")).withData(Map.of("other", "eA==")).build();
    h.client.secrets().inNamespace(ns).resource(edited).update();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.secret(ns, "heal").getData()).containsOnlyKeys("apiKey"));
    assertThat(OperatorHarness.value(h.secret(ns, "heal"), "apiKey")).isEqualTo(value);
    assertThat(h.allKeys(ns + "-heal-")).hasSize(1);
  }

  @Test
  void deletedLedgerIsRebuiltFromTheSecret() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "ledgerless"));
    h.awaitReason(ns, "ledgerless", "KeyReady");
    String keyName = h.get(ns, "ledgerless").getStatus().key.name;
    // Deleted by hand with the operator's finalizer removed (the finalizer alone would keep it: guarantee 9).
    h.edit(io.fabric8.kubernetes.api.model.Secret.class, ns, ManagedSecrets.ledgerName("ledgerless"),
        s -> s.getMetadata().setFinalizers(java.util.List.of()));
    h.client.secrets().inNamespace(ns).withName(ManagedSecrets.ledgerName("ledgerless")).delete();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.secret(ns, ManagedSecrets.ledgerName("ledgerless"))).isNotNull());
    assertThat(h.client.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("LedgerRebuilt"));
    assertThat(h.get(ns, "ledgerless").getStatus().key.name).isEqualTo(keyName);
    assertThat(h.allKeys(ns + "-ledgerless-")).hasSize(1);
    h.client.resource(h.get(ns, "ledgerless")).delete();
    h.awaitGone(ns, "ledgerless");
    assertThat(h.activeKeys(ns + "-ledgerless-")).isEmpty();
  }

  /** Every call the operator made to the vendor: key calls, lookups and credential checks. */
  private static int apiKeyCalls() {
    return h.simulator.requestCounts().values().stream().mapToInt(Integer::intValue).sum();
  }
}
