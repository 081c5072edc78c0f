package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.AdoptSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.AuthScheme;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.fme.FmeClient;
import dev.apikeyoperator.issuer.fme.FmeCreatedKey;
import dev.apikeyoperator.issuer.fme.FmeEndpoint;
import dev.apikeyoperator.issuer.fme.FmeKeyRequest;
import dev.apikeyoperator.simulator.SimKey;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantees 7 and 8 between tenants of one shared operator: no tenant can make the operator revoke, read or
 * update another tenant's key, nor mint without bound through a shared provider.
 */
class TenantIsolationIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  @BeforeAll
  static void platform() {
    h.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("platform").endMetadata()
        .build()).create();
    h.credentials("platform", "fme-admin", h.simulator.adminToken());
    clusterProvider("shared", false);
    clusterProvider("shared-adopting", true);
  }

  @Test
  void aClusterProviderRefusesAdoptionByDefaultSoNoTenantRevokesAnothersKey() {
    String a = h.newNamespace();
    ApiKey web = onClusterProvider(serverSideKey(a, "web"), "shared");
    h.create(web);
    h.awaitReason(a, "web", "KeyReady");
    String published = OperatorHarness.value(h.secret(a, "web"), "apiKey"); // a client-side key ships in pages

    String b = h.newNamespace();
    copyInto(b, "stolen", published);
    h.create(adopting(onClusterProvider(serverSideKey(b, "thief"), "shared"), "stolen", null));
    String message = h.awaitReason(b, "thief", "PolicyDenied").getMessage();
    assertThat(message).contains("allowAdoption");
    h.client.resource(h.get(b, "thief")).delete();
    h.awaitGone(b, "thief");

    assertThat(h.activeKeys(a + "-web-")).as("tenant A's key").hasSize(1);
    assertThat(h.get(a, "web").getStatus().key.fingerprint).isEqualTo(KeyValue.of(published).fingerprint());
  }

  @Test
  void aClusterProviderThatAllowsAdoptionAdoptsAndRevokesOnDeletion() {
    String ns = h.newNamespace();
    FmeCreatedKey legacy = handMadeKey(ns + "-by-hand");
    copyInto(ns, "legacy", legacy.value().reveal());
    h.create(adopting(onClusterProvider(serverSideKey(ns, "adopter"), "shared-adopting"), "legacy", null));
    h.awaitReason(ns, "adopter", "KeyReady");
    h.client.resource(h.get(ns, "adopter")).delete();
    h.awaitGone(ns, "adopter");
    assertThat(h.allKeys(ns + "-by-hand")).singleElement().satisfies(k -> assertThat(k.active()).isFalse());
  }

  @Test
  void anAdoptedFmeKeyIsRevokedByItsValueNeverByTheIdTheTenantWrote() {
    String a = h.newNamespace();
    FmeCreatedKey victim = handMadeKey(a + "-victim");
    String b = h.namespaceWithProvider(); // its own provider: adoption is allowed, on the same vendor account
    FmeCreatedKey own = handMadeKey(b + "-own");
    copyInto(b, "own", own.value().reveal());
    h.create(adopting(serverSideKey(b, "adopter"), "own", victim.id()));
    h.awaitReason(b, "adopter", "KeyReady");
    h.client.resource(h.get(b, "adopter")).delete();
    h.awaitGone(b, "adopter");

    assertThat(h.allKeys(a + "-victim")).singleElement().satisfies(k -> assertThat(k.active()).isTrue());
    assertThat(h.allKeys(b + "-own")).singleElement().satisfies(k -> assertThat(k.active()).isFalse());
  }

  @Test
  void aNamespaceMintsNoMoreThanItsHourlyBudgetThroughASharedProvider() {
    ClusterApiKeyProvider p = clusterProviderSpec("budgeted", false);
    p.getSpec().policy = new ProviderPolicy();
    p.getSpec().policy.maxKeysPerHour = 2;
    h.client.resource(p).create();
    String ns = h.newNamespace();
    h.create(onClusterProvider(serverSideKey(ns, "one"), "budgeted"));
    h.awaitReason(ns, "one", "KeyReady");
    h.create(onClusterProvider(serverSideKey(ns, "two"), "budgeted"));
    h.awaitReason(ns, "two", "KeyReady");
    // A rotation is a mint too: the budget is spent, the old key keeps serving.
    h.edit(ApiKey.class, ns, "one", k -> k.getMetadata().setAnnotations(new java.util.HashMap<>(
        java.util.Map.of("apikeyoperator.dev/rotate-requested-at", "now"))));
    String message = h.awaitReason(ns, "one", "RateLimited").getMessage();
    assertThat(message).contains("maxKeysPerHour").contains(ns);
    assertThat(h.ready(ns, "one")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    h.create(onClusterProvider(serverSideKey(ns, "three"), "budgeted"));
    h.awaitReason(ns, "three", "RateLimited");
    assertThat(h.allKeys(ns + "-")).hasSize(2);

    String other = h.newNamespace(); // another namespace has a budget of its own
    h.create(onClusterProvider(serverSideKey(other, "one"), "budgeted"));
    h.awaitReason(other, "one", "KeyReady");
  }

  @Test
  void aTemplateBombIsRefusedBeforeAnythingIsRenderedAndTheOperatorGoesOn() {
    String ns = h.namespaceWithProvider();
    copyInto(ns, "big", "k".repeat(40_000));
    ApiKey bomb = adopting(serverSideKey(ns, "bomb"), "big", null);
    bomb.getSpec().secret = new dev.apikeyoperator.api.v1alpha1.SecretSpec();
    bomb.getSpec().secret.template = new dev.apikeyoperator.api.v1alpha1.SecretTemplate();
    bomb.getSpec().secret.template.data = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 16; i++) {
      bomb.getSpec().secret.template.data.put("t" + i, "{{^keyId}}" + "{{key}}".repeat(600) + "{{/keyId}}");
    }
    h.create(bomb);
    assertThat(h.awaitReason(ns, "bomb", "InvalidSpec").getMessage()).contains("spec.secret.template.data")
        .contains("1048576 bytes");
    // The same oversized value with a harmless template: refused when adopted, nothing written.
    ApiKey big = adopting(serverSideKey(ns, "big-value"), "big", null);
    h.create(big);
    assertThat(h.awaitReason(ns, "big-value", "InvalidSpec").getMessage()).contains("40000 characters");
    assertThat(h.secret(ns, "big-value")).isNull();
    h.create(serverSideKey(ns, "neighbour"));
    h.awaitReason(ns, "neighbour", "KeyReady");
  }

  @Test
  void aClusterProviderCountsItsUsersPerNamespaceWithoutNamingThem() {
    ClusterApiKeyProvider p = clusterProviderSpec("counted", false);
    h.client.resource(p).create();
    String a = h.newNamespace();
    String b = h.newNamespace();
    h.create(onClusterProvider(serverSideKey(a, "merger-project"), "counted"));
    h.create(onClusterProvider(serverSideKey(a, "web"), "counted"));
    h.create(onClusterProvider(serverSideKey(b, "web"), "counted"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var status = h.client.resources(ClusterApiKeyProvider.class).withName("counted").get().getStatus();
      assertThat(status.keysInUse).isEqualTo(3);
      assertThat(status.usedBy).containsExactlyInAnyOrder(a + ": 2", b + ": 1");
    });
  }

  @Test
  void aKeyIsRevokedThroughTheProviderThatMintedItAfterAProviderSwitch() {
    try (dev.apikeyoperator.simulator.FmeSimulator other = dev.apikeyoperator.simulator.FmeSimulator.start(
        dev.apikeyoperator.simulator.SimulatorConfig.defaults().port(0))) {
      String ns = h.namespaceWithProvider();
      h.credentials(ns, "other-admin", other.adminToken());
      h.provider(ns, "other", "other-admin");
      h.editProvider(ns, "other", p -> p.getSpec().fme.baseUrl = other.baseUrl());
      h.create(RotationIT.withGrace(serverSideKey(ns, "moving"), "2s"));
      h.awaitReason(ns, "moving", "KeyReady");
      String first = h.get(ns, "moving").getStatus().key.name;

      h.edit(ApiKey.class, ns, "moving", k -> k.getSpec().providerRef.name = "other");
      // A new key from the other account; the first revoked at the account that minted it, once its grace is over.
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(h.get(ns, "moving").getStatus().key.name).isNotEqualTo(first);
        assertThat(h.allKeys(first)).singleElement().satisfies(k -> assertThat(k.active()).isFalse());
      });
      assertThat(other.activeKeys()).singleElement()
          .satisfies(k -> assertThat(k.name()).isEqualTo(h.get(ns, "moving").getStatus().key.name));
      h.client.resource(h.get(ns, "moving")).delete();
      h.awaitGone(ns, "moving");
      assertThat(other.activeKeys()).isEmpty();
    }
  }

  static ApiKey onClusterProvider(ApiKey k, String provider) {
    k.getSpec().providerRef = new ProviderRef();
    k.getSpec().providerRef.kind = ProviderRef.Kind.ClusterApiKeyProvider;
    k.getSpec().providerRef.name = provider;
    return k;
  }

  static ApiKey adopting(ApiKey k, String secretName, String id) {
    k.getSpec().adopt = new AdoptSpec();
    k.getSpec().adopt.secretRef = new AdoptSpec.KeySecretRef();
    k.getSpec().adopt.secretRef.name = secretName;
    k.getSpec().adopt.id = id;
    return k;
  }

  static void copyInto(String ns, String secretName, String value) {
    h.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(secretName)
        .endMetadata().addToData("apiKey", Base64.getEncoder().encodeToString(
            value.getBytes(StandardCharsets.UTF_8))).build()).create();
  }

  /** A server_side key made outside the operator. */
  static FmeCreatedKey handMadeKey(String keyName) {
    FmeClient fme = new FmeClient(FmeClient.defaultHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(5)),
        new FmeEndpoint(h.simulator.baseUrl(), KeyValue.of(h.simulator.adminToken()), AuthScheme.Bearer));
    return fme.create(new FmeKeyRequest(keyName, "server_side", h.simulator.projectId("Shop"),
        List.of(h.simulator.environmentId("Shop", "Production")), List.of()));
  }

  static void clusterProvider(String name, boolean allowAdoption) {
    h.client.resource(clusterProviderSpec(name, allowAdoption)).create();
  }

  static ClusterApiKeyProvider clusterProviderSpec(String name, boolean allowAdoption) {
    ClusterApiKeyProvider p = h.clusterProvider(name, "platform");
    if (allowAdoption) {
      p.getSpec().policy = new ProviderPolicy();
      p.getSpec().policy.allowAdoption = true;
    }
    return p;
  }
}
