package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static dev.apikeyoperator.it.OperatorHarness.statsigKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.api.v1alpha1.AuthScheme;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.fme.FmeClient;
import dev.apikeyoperator.issuer.fme.FmeCreatedKey;
import dev.apikeyoperator.issuer.fme.FmeEndpoint;
import dev.apikeyoperator.issuer.fme.FmeKeyRequest;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantee 8 for what the operator keeps: a tenant that can write Secrets in its namespace edits its ApiKey's
 * ledger; nothing it wrote steers a vendor call (docs/design/ledger.md, "The ledger is sealed").
 */
class KeptStateIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DISCARD = "apikeyoperator.dev/discard-invalid-state";

  @Test
  void aForgedLedgerRevokesNothingOnDeletionUntilAHumanDiscardsIt() {
    String victimNs = h.namespaceWithProvider();
    h.create(serverSideKey(victimNs, "victim"));
    h.awaitReason(victimNs, "victim", "KeyReady");
    String victimId = h.get(victimNs, "victim").getStatus().key.id;
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "tenant"));
    h.awaitReason(ns, "tenant", "KeyReady");

    editLedger(ns, "tenant", doc -> ((ObjectNode) doc.get("current")).put("id", victimId));
    StatusCondition invalid = h.awaitReason(ns, "tenant", "StateInvalid");
    assertThat(invalid.getMessage()).contains("Secret " + ns + "/tenant-apikey-ledger").contains(DISCARD);
    h.client.resource(h.get(ns, "tenant")).delete();

    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(h.get(ns, "tenant")).as("the finalizer is kept").isNotNull();
      assertThat(h.activeKeys(victimNs + "-victim-")).as("the other tenant's key").hasSize(1);
    });
    assertThat(h.ready(ns, "tenant")).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("StateInvalid"));

    String rv = h.secret(ns, "tenant-apikey-ledger").getMetadata().getResourceVersion();
    h.edit(ApiKey.class, ns, "tenant", k -> k.getMetadata().setAnnotations(new HashMap<>(java.util.Map.of(DISCARD,
        rv))));
    h.awaitGone(ns, "tenant");
    assertThat(h.activeKeys(victimNs + "-victim-")).hasSize(1);
    assertThat(h.activeKeys(ns + "-tenant-")).as("left for the human who discarded the state").hasSize(1);
  }

  @Test
  void aLedgerOfThePreviousVersionIsSealedWhenTheStatusNamesItsKey() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "upgraded"));
    h.awaitReason(ns, "upgraded", "KeyReady");
    String seal = sealOf(ns, "upgraded");
    assertThat(seal).isNotNull();

    h.edit(Secret.class, ns, "upgraded-apikey-ledger", s -> s.getData().remove("ledger.seal"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sealOf(ns, "upgraded")).isEqualTo(seal));
    assertThat(h.ready(ns, "upgraded")).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("KeyReady"));

    // An unsealed ledger that names another key than the status is not accepted.
    editLedger(ns, "upgraded", doc -> ((ObjectNode) doc.get("current")).put("id", "someone-elses-id"), false);
    assertThat(h.awaitReason(ns, "upgraded", "StateInvalid").getMessage()).contains("carries no seal");
    assertThat(sealOf(ns, "upgraded")).isNull();
  }

  @Test
  void aForgedStatsigPendingNameNeverBringsAnotherKeysValue() {
    String victimNs = h.namespaceWithStatsigProvider();
    h.create(statsigKey(victimNs, "victim"));
    h.awaitReason(victimNs, "victim", "KeyReady");
    String victimKeyName = h.get(victimNs, "victim").getStatus().key.name;
    String victimValue = OperatorHarness.value(h.secret(victimNs, "victim"), "apiKey");
    String ns = h.namespaceWithStatsigProvider();
    h.create(statsigKey(ns, "thief"));
    h.awaitReason(ns, "thief", "KeyReady");

    editLedger(ns, "thief", doc -> {
      ObjectNode pending = doc.putObject("pending");
      pending.put("name", victimKeyName);
      pending.put("startedAt", Instant.now().toString());
    });
    h.awaitReason(ns, "thief", "StateInvalid");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(OperatorHarness.value(h.secret(ns, "thief"), "apiKey")).isNotEqualTo(victimValue);
      assertThat(ledgerText(ns, "thief")).doesNotContain(victimValue);
    });
  }

  @Test
  void anApiKeyNamedLikeAnotherOnesLedgerIsRefused() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "x-apikey-ledger"));
    StatusCondition c = h.awaitReason(ns, "x-apikey-ledger", "SecretConflict");
    assertThat(c.getMessage()).contains("records of ApiKey x").contains("spec.secret.name");
    assertThat(h.activeKeys(ns + "-x-apikey-ledger-")).isEmpty();
    assertThat(h.secret(ns, "x-apikey-ledger")).isNull();
    h.create(serverSideKey(ns, "x"));
    h.awaitReason(ns, "x", "KeyReady");
  }

  @Test
  void adoptionInPlaceTakesNoSecretSomethingElseOwns() {
    String ns = h.namespaceWithProvider();
    handMadeKey(ns, "owned", ns + "-owned-by-hand");
    var owner = h.client.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("owner").endMetadata().build()).create();
    h.edit(Secret.class, ns, "owned", s -> s.getMetadata().setOwnerReferences(java.util.List.of(
        new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
            .withName("owner").withUid(owner.getMetadata().getUid()).build())));
    Secret before = h.secret(ns, "owned");
    h.create(adoptingInPlace(ns, "grabber", "owned"));
    h.awaitReason(ns, "grabber", "SecretConflict");
    Secret after = h.secret(ns, "owned");
    assertThat(after.getData()).isEqualTo(before.getData());
    assertThat(after.getMetadata().getOwnerReferences()).isEqualTo(before.getMetadata().getOwnerReferences());
  }

  @Test
  void adoptionInPlaceKeepsTheSecretsOtherDataKeys() {
    String ns = h.namespaceWithProvider();
    handMadeKey(ns, "app-config", ns + "-cfg-by-hand");
    h.edit(Secret.class, ns, "app-config", s -> s.getData().put("database-url",
        Base64.getEncoder().encodeToString("postgres://db".getBytes(StandardCharsets.UTF_8))));
    h.create(adoptingInPlace(ns, "cfg", "app-config"));
    h.awaitReason(ns, "cfg", "KeyReady");
    h.edit(ApiKey.class, ns, "cfg", k -> k.getMetadata().getAnnotations()
        .put("apikeyoperator.dev/rotate-requested-at", "now"));
    h.awaitReason(ns, "cfg", "Rotating");
    Secret s = h.secret(ns, "app-config");
    assertThat(s.getData()).containsKey("database-url");
    assertThat(OperatorHarness.value(s, "database-url")).isEqualTo("postgres://db");
    assertThat(OperatorHarness.value(s, "apiKey")).as("the rotated key")
        .isEqualTo(h.activeKeys(ns + "-cfg-").stream().filter(k -> !k.name().endsWith("by-hand")).findFirst()
            .orElseThrow().key());
  }

  /** A key created by hand at the vendor, its value put into Secret {@code secretName}. */
  private static void handMadeKey(String ns, String secretName, String keyName) {
    FmeClient fme = new FmeClient(FmeClient.defaultHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(5)),
        new FmeEndpoint(h.simulator.baseUrl(), KeyValue.of(h.simulator.adminToken()), AuthScheme.Bearer));
    FmeCreatedKey key = fme.create(new FmeKeyRequest(keyName, "server_side", h.simulator.projectId("Shop"),
        java.util.List.of(h.simulator.environmentId("Shop", "Production")), java.util.List.of()));
    h.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(secretName)
        .endMetadata().addToData("apiKey", Base64.getEncoder().encodeToString(
            key.value().reveal().getBytes(StandardCharsets.UTF_8))).build()).create();
  }

  private static ApiKey adoptingInPlace(String ns, String name, String secretName) {
    ApiKey k = serverSideKey(ns, name);
    k.getMetadata().setAnnotations(new HashMap<>());
    k.getSpec().secret = new dev.apikeyoperator.api.v1alpha1.SecretSpec();
    k.getSpec().secret.name = secretName;
    k.getSpec().adopt = new dev.apikeyoperator.api.v1alpha1.AdoptSpec();
    k.getSpec().adopt.secretRef = new dev.apikeyoperator.api.v1alpha1.AdoptSpec.KeySecretRef();
    k.getSpec().adopt.secretRef.name = secretName;
    return k;
  }

  /** What a tenant with write rights on Secrets in its namespace can do to the ledger document. */
  private static void editLedger(String ns, String apiKey, Consumer<ObjectNode> change) {
    editLedger(ns, apiKey, change, true);
  }

  private static void editLedger(String ns, String apiKey, Consumer<ObjectNode> change, boolean keepSeal) {
    h.edit(Secret.class, ns, apiKey + "-apikey-ledger", s -> {
      if (!keepSeal) {
        s.getData().remove("ledger.seal");
      }
      try {
        ObjectNode doc = (ObjectNode) JSON.readTree(Base64.getDecoder().decode(s.getData().get("ledger.json")));
        change.accept(doc);
        s.getData().put("ledger.json", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(doc)));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static String ledgerText(String ns, String apiKey) {
    return OperatorHarness.value(h.secret(ns, apiKey + "-apikey-ledger"), "ledger.json");
  }

  private static String sealOf(String ns, String apiKey) {
    return h.secret(ns, apiKey + "-apikey-ledger").getData().get("ledger.seal");
  }
}
