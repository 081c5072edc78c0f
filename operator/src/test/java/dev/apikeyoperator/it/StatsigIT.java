package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static dev.apikeyoperator.it.OperatorHarness.statsigKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.DeletionPolicy;
import dev.apikeyoperator.api.v1alpha1.ExternalRevocationPolicy;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeyType;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.simulator.StatsigSimKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Statsig vendor: create, delete, in-place update, replacement, native rotation, drift, lost answers. */
class StatsigIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  @AfterEach
  void clearFaults() {
    h.statsig.faults().clear();
  }

  static StatsigSimKey only(String ns, String name) {
    List<StatsigSimKey> active = h.statsigKeys(ns + "-" + name + "-").stream().filter(StatsigSimKey::isActive)
        .toList();
    assertThat(active).as("active Statsig keys of %s/%s", ns, name).hasSize(1);
    return active.get(0);
  }

  @Test
  void createThenDeleteAndTheSecretHoldsTheKey() {
    String ns = h.namespaceWithStatsigProvider();
    h.create(statsigKey(ns, "api"));
    h.awaitReason(ns, "api", "KeyReady");
    StatsigSimKey key = only(ns, "api");
    ApiKey k = h.get(ns, "api");
    assertThat(key.type()).isEqualTo("SERVER");
    assertThat(key.key()).startsWith("secret-");
    assertThat(key.description()).isEqualTo("api service (" + k.getStatus().key.name + ")");
    assertThat(key.environments()).containsExactly("production");
    assertThat(OperatorHarness.value(h.secret(ns, "api"), "apiKey")).isEqualTo(key.key());

    h.client.resource(k).delete();
    h.awaitGone(ns, "api");
    assertThat(h.statsigKeys(ns + "-api-")).singleElement().satisfies(s -> assertThat(s.isDeleted()).isTrue());
  }

  @Test
  void orphanKeepsAndDeactivateDeactivates() {
    String ns = h.namespaceWithStatsigProvider();
    ApiKey orphan = statsigKey(ns, "kept");
    orphan.getSpec().deletionPolicy = DeletionPolicy.Orphan;
    ApiKey deactivate = statsigKey(ns, "off");
    deactivate.getSpec().deletionPolicy = DeletionPolicy.Deactivate;
    h.create(orphan);
    h.create(deactivate);
    h.awaitReason(ns, "kept", "KeyReady");
    h.awaitReason(ns, "off", "KeyReady");
    h.client.resource(h.get(ns, "kept")).delete();
    h.client.resource(h.get(ns, "off")).delete();
    h.awaitGone(ns, "kept");
    h.awaitGone(ns, "off");
    assertThat(h.statsigKeys(ns + "-kept-")).singleElement().satisfies(s -> assertThat(s.isActive()).isTrue());
    assertThat(h.statsigKeys(ns + "-off-")).singleElement()
        .satisfies(s -> assertThat(s.status()).isEqualTo(StatsigSimKey.DEACTIVATED));
  }

  @Test
  void invalidSpecsAndVendorMismatchCreateNothing() {
    String ns = h.namespaceWithStatsigProvider();
    ApiKey noDescription = statsigKey(ns, "no-description");
    noDescription.getSpec().statsig.description = " ";
    ApiKey tooLong = statsigKey(ns, "too-long");
    tooLong.getSpec().statsig.description = "x".repeat(901);
    ApiKey fmeOnStatsig = serverSideKey(ns, "wrong-vendor");
    fmeOnStatsig.getSpec().providerRef.name = "statsig";
    ApiKey console = statsigKey(ns, "console");
    console.getSpec().statsig.type = StatsigKeyType.CONSOLE;
    ApiKey keyAdmin = statsigKey(ns, "key-admin");
    keyAdmin.getSpec().statsig.scopes = new ArrayList<>(List.of("can_access_keys"));
    h.create(keyAdmin);
    h.create(noDescription);
    h.create(tooLong);
    h.create(fmeOnStatsig);
    h.create(console);
    assertThat(h.awaitReason(ns, "no-description", "InvalidSpec").getMessage()).contains("description is missing");
    assertThat(h.awaitReason(ns, "too-long", "InvalidSpec").getMessage()).contains("at most 900");
    assertThat(h.awaitReason(ns, "wrong-vendor", "InvalidSpec").getMessage())
        .contains("is a statsig account, but the ApiKey gives spec.fme");
    assertThat(h.awaitReason(ns, "console", "PolicyDenied").getMessage())
        .contains("does not allow CONSOLE keys (policy.allowedStatsigTypes: SERVER, CLIENT)");
    assertThat(h.awaitReason(ns, "key-admin", "PolicyDenied").getMessage()).contains("does not allow the scope(s) "
        + "can_access_keys (policy.allowedStatsigScopes: client_download_config_specs)");
    assertThat(h.statsigKeys(ns + "-")).isEmpty();
  }

  @Test
  void unauthorizedAndForbiddenConsoleKeys() {
    h.statsig.addConsoleKey("console-no-scope", List.of("omni_read_only"));
    String ns = h.namespaceWithStatsigProvider("console-unknown");
    String ns2 = h.namespaceWithStatsigProvider("console-no-scope");
    h.create(statsigKey(ns, "unknown"));
    h.create(statsigKey(ns2, "no-scope"));
    assertThat(h.awaitReason(ns, "unknown", "VendorUnauthorized").getMessage()).doesNotContain("console-unknown");
    assertThat(h.awaitReason(ns2, "no-scope", "VendorUnauthorized").getMessage()).contains("can_access_keys")
        .doesNotContain("console-no-scope");
    assertThat(h.statsigKeys(ns + "-")).isEmpty();
    assertThat(h.statsigKeys(ns2 + "-")).isEmpty();
  }

  /**
   * The admin rotates the console key: the Secret gets the new one and the old one is deleted in the console. A key
   * applied at that moment may be tried with the credential read a second before (docs/design/pacing.md: one read serves the
   * next 2 seconds); the refusal makes the operator read the Secret again within a second, not after a minute.
   */
  @Test
  void aConsoleKeyRotatedAndRevokedIsPickedUpAtOnce() {
    h.statsig.addConsoleKey("console-before", List.of("can_access_keys"));
    h.statsig.addConsoleKey("console-after", List.of("can_access_keys"));
    String ns = h.namespaceWithStatsigProvider("console-before");
    h.create(statsigKey(ns, "first"));
    h.awaitReason(ns, "first", "KeyReady");
    h.edit(io.fabric8.kubernetes.api.model.Secret.class, ns, "statsig-console", s -> s.setData(Map.of("token",
        java.util.Base64.getEncoder().encodeToString("console-after".getBytes()))));
    h.statsig.deleteOutside("console-before");
    h.create(statsigKey(ns, "second"));
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(h.ready(ns, "second"))
        .as("Ready well before the minute a refused credential used to wait")
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("KeyReady")));
    assertThat(h.statsigKeys(ns + "-second")).singleElement().satisfies(k -> assertThat(k.isActive()).isTrue());
  }

  @Test
  void inPlaceUpdateMakesNoNewKeyAndKeepsTheSecret() {
    String ns = h.namespaceWithStatsigProvider();
    h.create(statsigKey(ns, "edit"));
    h.awaitReason(ns, "edit", "KeyReady");
    StatsigSimKey before = only(ns, "edit");
    int creates = h.statsig.createCount();
    h.edit(ApiKey.class, ns, "edit", k -> {
      k.getSpec().statsig.description = "edited service";
      k.getSpec().statsig.scopes = new ArrayList<>(List.of("client_download_config_specs"));
      k.getSpec().statsig.targetApp = "checkout";
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(only(ns, "edit").description()).startsWith("edited service ("));
    StatsigSimKey after = only(ns, "edit");
    assertThat(after.key()).isEqualTo(before.key());
    assertThat(after.scopes()).containsExactly("client_download_config_specs");
    assertThat(after.targetApp()).isEqualTo("checkout");
    assertThat(h.statsig.createCount()).isEqualTo(creates);
    assertThat(OperatorHarness.value(h.secret(ns, "edit"), "apiKey")).isEqualTo(before.key());
  }

  @Test
  void typeChangeReplacesTheKey() {
    String ns = h.namespaceWithStatsigProvider();
    h.create(RotationIT.withGrace(statsigKey(ns, "retype"), "1s"));
    h.awaitReason(ns, "retype", "KeyReady");
    StatsigSimKey server = only(ns, "retype");
    h.edit(ApiKey.class, ns, "retype", k -> k.getSpec().statsig.type = StatsigKeyType.CLIENT);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      StatsigSimKey now = only(ns, "retype");
      assertThat(now.type()).isEqualTo("CLIENT");
      assertThat(h.get(ns, "retype").getStatus().previousKeys).isNull();
    });
    assertThat(OperatorHarness.value(h.secret(ns, "retype"), "apiKey")).startsWith("client-");
    assertThat(h.statsig.keys()).filteredOn(k -> k.key().equals(server.key()))
        .singleElement().satisfies(k -> assertThat(k.isDeleted()).isTrue());
  }

  @Test
  void nativeRotationWhenTheGracePeriodIsZero() {
    String ns = h.namespaceWithStatsigProvider();
    h.create(RotationIT.withGrace(statsigKey(ns, "spin"), "0s"));
    h.awaitReason(ns, "spin", "KeyReady");
    StatsigSimKey first = only(ns, "spin");
    int creates = h.statsig.createCount();
    h.edit(ApiKey.class, ns, "spin", k -> k.getMetadata().setAnnotations(new HashMap<>(Map.of(
        "apikeyoperator.dev/rotate-requested-at", "now"))));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ApiKey k = h.get(ns, "spin");
      assertThat(OperatorHarness.value(h.secret(ns, "spin"), "apiKey")).isNotEqualTo(first.key());
      assertThat(k.getStatus().previousKeys).isNull();
      assertThat(h.statsig.activeKeys()).anySatisfy(s -> assertThat(s.description())
          .isEqualTo("spin service (" + k.getStatus().key.name + ")"));
    });
    assertThat(h.statsig.createCount()).as("rotated by the vendor, not created").isEqualTo(creates);
    assertThat(h.statsig.activeKeys()).noneSatisfy(s -> assertThat(s.key()).isEqualTo(first.key()));
    assertThat(h.statsig.activeKeys().stream().filter(s -> s.key().equals(
        OperatorHarness.value(h.secret(ns, "spin"), "apiKey")))).hasSize(1);
  }

  /** Creates a key at the simulator by hand (as someone outside the operator would) and returns its value. */
  static String keyByHand(String type, String description, List<String> scopes) throws Exception {
    String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("type", type,
        "description", description, "scopes", scopes, "environments", List.of("production")));
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.statsig.baseUrl() + "/keys"))
        .header("STATSIG-API-KEY", h.statsig.consoleKey()).header("STATSIG-API-VERSION", "20240601")
        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
        .build();
    var answer = java.net.http.HttpClient.newHttpClient().send(request,
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 201);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).get("data").get("key").asText();
  }

  static ApiKey adopting(String ns, String name, String value) {
    h.client.secrets().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
        .withName(name + "-legacy").endMetadata().addToStringData("apiKey", value).build()).create();
    ApiKey k = statsigKey(ns, name);
    k.getSpec().adopt = new dev.apikeyoperator.api.v1alpha1.AdoptSpec();
    k.getSpec().adopt.secretRef = new dev.apikeyoperator.api.v1alpha1.AdoptSpec.KeySecretRef();
    k.getSpec().adopt.secretRef.name = name + "-legacy";
    return k;
  }

  @Test
  void anAdoptedKeyIsReadBackAndNothingIsPatchedOntoAKeyOfAnotherTypeOrScope() throws Exception {
    String ns = h.namespaceWithStatsigProvider();
    String console = keyByHand("CONSOLE", "admin by hand", List.of("can_access_keys"));
    String scoped = keyByHand("SERVER", "scoped by hand", List.of("custom_read"));
    String plain = keyByHand("SERVER", "plain by hand", List.of());
    h.create(adopting(ns, "as-server", console));
    h.create(adopting(ns, "scoped", scoped));
    h.create(adopting(ns, "plain", plain));
    assertThat(h.awaitReason(ns, "as-server", "InvalidSpec").getMessage())
        .contains("is a CONSOLE key, but spec.statsig.type is SERVER").doesNotContain(console);
    assertThat(h.awaitReason(ns, "scoped", "PolicyDenied").getMessage())
        .contains("does not allow the scope(s) custom_read");
    h.awaitReason(ns, "plain", "KeyReady");
    Map<String, StatsigSimKey> byValue = new HashMap<>();
    h.statsig.keys().forEach(k -> byValue.put(k.key(), k));
    assertThat(byValue.get(console).description()).as("not patched").isEqualTo("admin by hand");
    assertThat(byValue.get(scoped).scopes()).as("not patched").containsExactly("custom_read");
    assertThat(byValue.get(plain).description()).startsWith("plain service (");
  }

  @Test
  void revokedOutsideIsReportedOrRecreated() {
    String ns = h.namespaceWithStatsigProvider();
    h.create(statsigKey(ns, "report"));
    ApiKey recreate = statsigKey(ns, "recreate");
    recreate.getSpec().onExternalRevocation = ExternalRevocationPolicy.Recreate;
    h.create(recreate);
    h.awaitReason(ns, "report", "KeyReady");
    h.awaitReason(ns, "recreate", "KeyReady");
    StatsigSimKey reported = only(ns, "report");
    StatsigSimKey recreated = only(ns, "recreate");
    h.statsig.deleteOutside(reported.key());
    h.statsig.deactivateOutside(recreated.key());

    StatusCondition c = h.awaitReason(ns, "report", "KeyRevokedExternally");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getMessage()).contains("onExternalRevocation: Recreate");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      StatsigSimKey fresh = only(ns, "recreate");
      assertThat(fresh.key()).isNotEqualTo(recreated.key());
      assertThat(OperatorHarness.value(h.secret(ns, "recreate"), "apiKey")).isEqualTo(fresh.key());
    });
    h.awaitReason(ns, "recreate", "KeyReady");
  }

  @Test
  void lostCreateAnswerIsResolvedByListingWithoutAHuman() {
    String ns = h.namespaceWithStatsigProvider();
    h.statsig.faults().setDropCreateResponses(1);
    h.create(statsigKey(ns, "lost"));
    h.awaitReason(ns, "lost", "KeyReady");
    StatsigSimKey key = only(ns, "lost");
    assertThat(h.statsigKeys(ns + "-lost-")).hasSize(1);
    assertThat(OperatorHarness.value(h.secret(ns, "lost"), "apiKey")).isEqualTo(key.key());
    assertThat(h.client.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Recovered"));
  }

  @Test
  void vendorDownDuringDeleteKeepsTheFinalizer() {
    String ns = h.namespaceWithStatsigProvider();
    h.create(statsigKey(ns, "sticky"));
    h.awaitReason(ns, "sticky", "KeyReady");
    h.statsig.faults().setDown(true);
    h.client.resource(h.get(ns, "sticky")).delete();
    h.awaitReason(ns, "sticky", "RevocationFailed");
    h.statsig.faults().setDown(false);
    h.awaitGone(ns, "sticky");
    assertThat(h.statsigKeys(ns + "-sticky-")).singleElement().satisfies(s -> assertThat(s.isDeleted()).isTrue());
  }

  @Test
  void mutationRateLimitStillCreatesExactlyOneKeyEach() {
    String ns = h.namespaceWithStatsigProvider();
    h.statsig.setMutationLimits(3, 900);
    try {
      for (int i = 0; i < 6; i++) {
        h.create(statsigKey(ns, "burst-" + i));
      }
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        for (int i = 0; i < 6; i++) {
          assertThat(h.ready(ns, "burst-" + i)).hasValueSatisfying(c -> assertThat(c.reason).isEqualTo("KeyReady"));
        }
      });
      for (int i = 0; i < 6; i++) {
        assertThat(h.statsigKeys(ns + "-burst-" + i + "-")).hasSize(1);
      }
    } finally {
      h.statsig.setMutationLimits(100, 900);
    }
  }
}
