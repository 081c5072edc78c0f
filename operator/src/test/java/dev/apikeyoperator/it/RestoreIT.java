package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.ledger.LedgerSeal;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantee 10: an ApiKey restored as Velero restores it (name, namespace, labels, annotations and body; no uid,
 * ownerReferences, finalizers or status), with its Secrets, resumes its key: no vendor call, no human step.
 */
class RestoreIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  /** What a backup holds of one ApiKey: the ApiKey and its Secrets, as Velero stores them. */
  private record Backup(ApiKey apiKey, List<Secret> secrets, ApiKeyStatus status) {}

  @Test
  void secretsRestoredBeforeTheApiKeyWhileTheOperatorIsDownResumeTheKey() {
    String ns = h.namespaceWithProvider();
    h.create(RotationIT.withGrace(serverSideKey(ns, "web"), "1h"));
    h.awaitReason(ns, "web", "KeyReady");
    Backup backup = backUpAndLose(ns, "web", true);
    int creates = h.simulator.createCount();

    restoreSecrets(backup, ns);
    restoreApiKey(backup, ns, false);
    h.startOperator();

    assertResumed(ns, "web", backup, "KeyReady");
    assertThat(h.simulator.createCount()).as("no key created").isEqualTo(creates);
    assertThat(h.activeKeys(ns + "-web-")).hasSize(1);
    // A later rotation and the deletion work as for any key.
    h.edit(ApiKey.class, ns, "web", k -> k.getMetadata().setAnnotations(new HashMap<>(Map.of(
        "apikeyoperator.dev/rotate-requested-at", "after-restore"))));
    h.awaitReason(ns, "web", "Rotating");
    h.client.resource(h.get(ns, "web")).delete();
    h.awaitGone(ns, "web");
    assertThat(h.activeKeys(ns + "-web-")).isEmpty();
  }

  @Test
  void aKeyMidRotationRestoredWhileTheOperatorRunsKeepsBothKeys() {
    String ns = h.namespaceWithProvider();
    h.create(RotationIT.withGrace(serverSideKey(ns, "mid"), "1h"));
    h.awaitReason(ns, "mid", "KeyReady");
    h.edit(ApiKey.class, ns, "mid", k -> k.getMetadata().setAnnotations(new HashMap<>(Map.of(
        "apikeyoperator.dev/rotate-requested-at", "before-backup"))));
    h.awaitReason(ns, "mid", "Rotating");
    Backup backup = backUpAndLose(ns, "mid", false);
    int creates = h.simulator.createCount();

    restoreSecrets(backup, ns);
    restoreApiKey(backup, ns, false);

    assertResumed(ns, "mid", backup, "Rotating");
    assertThat(h.get(ns, "mid").getStatus().previousKeys).hasSize(1);
    assertThat(h.simulator.createCount()).isEqualTo(creates);
    assertThat(h.activeKeys(ns + "-mid-")).hasSize(2);
    h.client.resource(h.get(ns, "mid")).delete();
    h.awaitGone(ns, "mid");
    assertThat(h.activeKeys(ns + "-mid-")).isEmpty();
  }

  @Test
  void anApiKeyRestoredBeforeItsSecretsWaitsForThem() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "first"));
    h.awaitReason(ns, "first", "KeyReady");
    Backup backup = backUpAndLose(ns, "first", false);
    int creates = h.simulator.createCount();

    restoreApiKey(backup, ns, true); // Velero labels what it restores
    assertThat(h.awaitReason(ns, "first", "Provisioning").getMessage()).contains("restore-1");
    restoreSecrets(backup, ns);

    assertResumed(ns, "first", backup, "KeyReady");
    assertThat(h.simulator.createCount()).isEqualTo(creates);
  }

  @Test
  void stateCopiedFromAnotherNamespaceOrSealedWithAnotherKeyIsNeverTaken() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "victim"));
    h.awaitReason(ns, "victim", "KeyReady");
    String victimKey = h.get(ns, "victim").getStatus().key.name;
    Secret ledger = h.secret(ns, "victim-apikey-ledger");

    // Another tenant copies the ledger into its namespace, for an ApiKey of the same name.
    String thief = h.namespaceWithProvider();
    h.client.secrets().inNamespace(thief).resource(copyOf(ledger, thief)).create();
    h.create(serverSideKey(thief, "victim"));
    String message = h.awaitReason(thief, "victim", "StateInvalid").getMessage();
    assertThat(message).contains(LedgerSeal.SECRET_NAME);
    h.client.resource(h.get(thief, "victim")).delete();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(h.activeKeys(victimKey)).as("the other tenant's key").hasSize(1));

    // A backup of another cluster: sealed with a seal key this operator does not have.
    String other = h.namespaceWithProvider();
    Secret foreign = copyOf(ledger, other);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String document = OperatorHarness.value(ledger, "ledger.json");
    String uid = ledger.getMetadata().getAnnotations().get("apikeyoperator.dev/sealed-for");
    foreign.getData().put("ledger.seal", base64(LedgerSeal.withKey(key).seal(other, "victim", uid, document)));
    h.client.secrets().inNamespace(other).resource(foreign).create();
    h.create(serverSideKey(other, "victim"));
    assertThat(h.awaitReason(other, "victim", "StateInvalid").getMessage()).contains("seal key")
        .contains("docs/operations/backup-and-restore.md");
    assertThat(h.secret(other, "victim-apikey-ledger").getMetadata().getOwnerReferences()).isEmpty();
    assertThat(h.activeKeys(victimKey)).hasSize(1);
  }

  /**
   * Backs the ApiKey and its Secrets up, then loses them as a lost cluster would (no revocation: the operator is
   * stopped meanwhile); the operator is started again unless {@code staysDown}.
   */
  private static Backup backUpAndLose(String ns, String name, boolean staysDown) {
    ApiKey apiKey = h.get(ns, name);
    List<Secret> secrets = new ArrayList<>(List.of(h.secret(ns, name), h.secret(ns, name + "-apikey-ledger")));
    Backup backup = new Backup(apiKey, secrets, apiKey.getStatus());
    h.stopOperator();
    for (Secret s : secrets) {
      h.edit(Secret.class, ns, s.getMetadata().getName(), x -> x.getMetadata().setFinalizers(List.of()));
      h.client.secrets().inNamespace(ns).withName(s.getMetadata().getName()).delete();
    }
    h.edit(ApiKey.class, ns, name, x -> x.getMetadata().setFinalizers(List.of()));
    h.client.resources(ApiKey.class).inNamespace(ns).withName(name).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.get(ns, name) == null && h.secret(ns, name) == null);
    if (!staysDown) {
      h.startOperator();
    }
    return backup;
  }

  private static void restoreSecrets(Backup backup, String ns) {
    backup.secrets().forEach(s -> h.client.secrets().inNamespace(ns).resource(copyOf(s, ns)).create());
  }

  /** Name, namespace, labels, annotations and spec; nothing else. */
  private static void restoreApiKey(Backup backup, String ns, boolean veleroLabels) {
    ApiKey restored = new ApiKey();
    Map<String, String> labels = new HashMap<>(backup.apiKey().getMetadata().getLabels() == null ? Map.of()
        : backup.apiKey().getMetadata().getLabels());
    if (veleroLabels) {
      labels.put("velero.io/backup-name", "nightly");
      labels.put("velero.io/restore-name", "restore-1");
    }
    Map<String, String> annotations = new HashMap<>(backup.apiKey().getMetadata().getAnnotations() == null
        ? Map.of() : backup.apiKey().getMetadata().getAnnotations());
    restored.setMetadata(new ObjectMetaBuilder().withName(backup.apiKey().getMetadata().getName()).withNamespace(ns)
        .withLabels(labels).withAnnotations(annotations).build());
    restored.setSpec(backup.apiKey().getSpec());
    h.client.resource(restored).create();
  }

  /** A Secret as Velero restores it: name, labels, annotations, type and data, into {@code ns}. */
  private static Secret copyOf(Secret s, String ns) {
    ObjectMeta meta = new ObjectMetaBuilder().withName(s.getMetadata().getName()).withNamespace(ns)
        .withLabels(s.getMetadata().getLabels()).withAnnotations(s.getMetadata().getAnnotations()).build();
    return new SecretBuilder().withMetadata(meta).withType(s.getType()).withData(new HashMap<>(s.getData()))
        .build();
  }

  private static void assertResumed(String ns, String name, Backup backup, String reason) {
    h.awaitReason(ns, name, reason);
    ApiKey k = h.get(ns, name);
    assertThat(k.getStatus().key.name).isEqualTo(backup.status().key.name);
    assertThat(k.getStatus().key.fingerprint).isEqualTo(backup.status().key.fingerprint);
    assertThat(k.getStatus().nextRotationAt).isEqualTo(backup.status().nextRotationAt);
    assertThat(OperatorHarness.value(h.secret(ns, name), "apiKey"))
        .isEqualTo(OperatorHarness.value(backup.secrets().get(0), "apiKey"));
    assertThat(h.secret(ns, name).getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(k.getMetadata().getUid()));
    assertThat(h.secret(ns, name + "-apikey-ledger").getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(k.getMetadata().getUid()));
    assertThat(k.getMetadata().getFinalizers()).contains("apikeyoperator.dev/revoke");
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
