package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeRole;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.api.v1alpha1.SecretSpec;
import dev.apikeyoperator.simulator.SimKey;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FailureModesIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  /** A namespace whose provider also allows admin keys with any role. */
  static String namespaceAllowingAdmin() {
    String ns = h.namespaceWithProvider();
    h.editProvider(ns, OperatorHarness.PROVIDER, p -> {
      p.getSpec().policy = new dev.apikeyoperator.api.v1alpha1.ProviderPolicy();
      p.getSpec().policy.allowedTypes = List.of(FmeKeyType.SERVER_SIDE, FmeKeyType.CLIENT_SIDE, FmeKeyType.ADMIN);
      p.getSpec().policy.allowedRoles = List.of(FmeRole.values());
    });
    return ns;
  }

  @AfterEach
  void clearFaults() {
    h.simulator.faults().clear();
  }

  @Test
  void invalidSpecsAreReportedAndCreateNothing() {
    String ns = namespaceAllowingAdmin();
    Map<String, Consumer<ApiKey>> cases = new LinkedHashMap<>();
    Map<String, String> expected = new LinkedHashMap<>();
    cases.put("admin-no-roles", k -> admin(k, List.of()));
    expected.put("admin-no-roles", "admin keys need at least one role");
    cases.put("sdk-with-roles", k -> k.getSpec().fme.roles = new ArrayList<>(List.of(FmeRole.API_ADMIN)));
    expected.put("sdk-with-roles", "roles apply only to admin keys");
    cases.put("sdk-no-project", k -> k.getSpec().fme.project = null);
    expected.put("sdk-no-project", "server_side keys need spec.fme.project");
    cases.put("sdk-two-envs", k -> k.getSpec().fme.environments.add(NameOrId.byName("Staging")));
    expected.put("sdk-two-envs", "exactly one entry in spec.fme.environments (found 2)");
    cases.put("client-no-env", k -> {
      k.getSpec().fme.type = FmeKeyType.CLIENT_SIDE;
      k.getSpec().fme.environments.clear();
    });
    expected.put("client-no-env", "client_side keys need exactly one entry");
    cases.put("project-name-and-id", k -> k.getSpec().fme.project.id = "abc");
    expected.put("project-name-and-id", "spec.fme.project must give exactly one of name or id");
    cases.put("env-neither", k -> k.getSpec().fme.environments.set(0, new NameOrId()));
    expected.put("env-neither", "spec.fme.environments[0] must give exactly one of name or id");
    cases.put("admin-envs-no-project", k -> {
      admin(k, List.of(FmeRole.API_FEATURE_FLAG_VIEWER));
      k.getSpec().fme.project = null;
    });
    expected.put("admin-envs-no-project", "environments need spec.fme.project");
    cases.put("bad-key-name", k -> k.getSpec().keyName = "has spaces");
    expected.put("bad-key-name", "spec.keyName 'has spaces' is not usable");
    cases.put("bad-secret-name", k -> secret(k).name = "Bad_Name");
    expected.put("bad-secret-name", "spec.secret.name 'Bad_Name' is not a valid Secret name");
    cases.put("bad-data-key", k -> secret(k).key = "a/b");
    expected.put("bad-data-key", "spec.secret.key 'a/b' is not a valid data key");
    cases.put("reserved-label", k -> secret(k).labels.put("app.kubernetes.io/managed-by", "me"));
    expected.put("reserved-label", "must not set 'app.kubernetes.io/managed-by'");
    cases.put("no-provider-name", k -> k.getSpec().providerRef.name = null);
    expected.put("no-provider-name", "spec.providerRef.name is missing");
    cases.put("duplicate-roles", k -> admin(k, List.of(FmeRole.API_ADMIN, FmeRole.API_ADMIN)));
    expected.put("duplicate-roles", "lists a role twice");
    cases.put("no-fme", k -> k.getSpec().fme = null);
    expected.put("no-fme", "spec.fme is missing");

    int createsBefore = h.simulator.createCount();
    cases.forEach((name, change) -> {
      ApiKey k = serverSideKey(ns, name);
      change.accept(k);
      h.create(k);
    });
    cases.keySet().forEach(name -> {
      StatusCondition c = h.awaitReason(ns, name, "InvalidSpec");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getMessage()).as(name).contains(expected.get(name)).contains("No key was created");
      assertThat(h.secret(ns, name)).isNull();
    });
    assertThat(h.simulator.createCount()).isEqualTo(createsBefore);
    assertThat(h.allKeys(ns + "-")).isEmpty();

    // Fixing the spec proceeds on its own.
    ApiKey fixed = h.get(ns, "admin-no-roles");
    fixed.getSpec().fme.roles = new ArrayList<>(List.of(FmeRole.API_FEATURE_FLAG_VIEWER));
    h.client.resource(fixed).update();
    h.awaitReason(ns, "admin-no-roles", "KeyReady");
    assertThat(h.activeKeys(ns + "-admin-no-roles-")).singleElement()
        .satisfies(s -> assertThat(s.roles()).containsExactly("API_FEATURE_FLAG_VIEWER"));
  }

  @Test
  void unknownProjectAndEnvironmentNames() {
    String ns = h.namespaceWithProvider();
    ApiKey p = serverSideKey(ns, "no-project");
    p.getSpec().fme.project = NameOrId.byName("Nope");
    h.create(p);
    ApiKey e = serverSideKey(ns, "no-env");
    e.getSpec().fme.environments.set(0, NameOrId.byName("Moon"));
    h.create(e);
    assertThat(h.awaitReason(ns, "no-project", "ProjectNotFound").getMessage()).contains("Nope");
    assertThat(h.awaitReason(ns, "no-env", "EnvironmentNotFound").getMessage()).contains("Moon");
    assertThat(h.allKeys(ns + "-")).isEmpty();
  }

  @Test
  void projectAndEnvironmentByIdAreTheSameKeyAsByName() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "ids"));
    h.awaitReason(ns, "ids", "KeyReady");
    ApiKey k = h.get(ns, "ids");
    String keyName = k.getStatus().key.name;
    k.getSpec().fme.project = NameOrId.byId(h.simulator.projectId("Shop"));
    k.getSpec().fme.environments = new ArrayList<>(List.of(NameOrId.byId(h.simulator.environmentId("Shop",
        "Production"))));
    h.client.resource(k).update();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.get(ns, "ids").getStatus().observedGeneration).isEqualTo(2L));
    assertThat(h.get(ns, "ids").getStatus().key.name).isEqualTo(keyName);
    assertThat(h.allKeys(ns + "-ids-")).hasSize(1);
  }

  @Test
  void unauthorizedCredential() {
    String ns = h.newNamespace();
    h.credentials(ns, "fme-admin", "not-a-real-token");
    h.provider(ns, OperatorHarness.PROVIDER, "fme-admin");
    h.create(serverSideKey(ns, "denied"));
    StatusCondition c = h.awaitReason(ns, "denied", "VendorUnauthorized");
    assertThat(c.getMessage()).contains("401").doesNotContain("not-a-real-token");
    assertThat(h.allKeys(ns + "-")).isEmpty();
  }

  @Test
  void rateLimitStormStillCreatesExactlyOneKeyEach() {
    String ns = h.namespaceWithProvider();
    h.simulator.faults().setRateLimitPerSecond(3);
    int n = 12;
    for (int i = 0; i < n; i++) {
      h.create(serverSideKey(ns, "burst-" + i));
    }
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      for (int i = 0; i < n; i++) {
        assertThat(h.ready(ns, "burst-" + i)).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("KeyReady"));
      }
    });
    assertThat(h.simulator.requestCounts()).containsKey("POST /apiKeys 429");
    for (int i = 0; i < n; i++) {
      List<SimKey> keys = h.allKeys(ns + "-burst-" + i + "-");
      assertThat(keys).as("keys of burst-%d", i).hasSize(1);
      assertThat(OperatorHarness.value(h.secret(ns, "burst-" + i), "apiKey")).isEqualTo(keys.get(0).key());
    }
  }

  @Test
  void vendorDownDuringDeleteKeepsTheFinalizerUntilRevoked() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "sticky"));
    h.awaitReason(ns, "sticky", "KeyReady");
    h.simulator.faults().setDown(true);
    h.client.resource(h.get(ns, "sticky")).delete();
    StatusCondition c = h.awaitReason(ns, "sticky", "RevocationFailed");
    assertThat(c.getMessage()).contains("503");
    assertThat(h.get(ns, "sticky").getMetadata().getFinalizers()).contains("apikeyoperator.dev/revoke");
    assertThat(h.activeKeys(ns + "-sticky-")).hasSize(1);

    h.simulator.faults().setDown(false);
    h.awaitGone(ns, "sticky");
    assertThat(h.allKeys(ns + "-sticky-")).singleElement().satisfies(k -> assertThat(k.active()).isFalse());
  }

  @Test
  void foreignSecretIsNeverTouched() {
    String ns = h.namespaceWithProvider();
    Secret foreign = h.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata()
        .withName("taken").endMetadata().addToStringData("apiKey", "someone-elses").build()).create();
    ApiKey k = serverSideKey(ns, "wants-taken");
    k.getSpec().secret = new SecretSpec();
    k.getSpec().secret.name = "taken";
    h.create(k);
    StatusCondition c = h.awaitReason(ns, "wants-taken", "SecretConflict");
    assertThat(c.getMessage()).contains("Secret " + ns + "/taken already exists and is not managed by this ApiKey");
    Secret after = h.secret(ns, "taken");
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
    assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(h.allKeys(ns + "-")).isEmpty();
  }

  @Test
  void keysWithoutIdAreRevokedByValue() {
    String ns = h.namespaceWithProvider();
    h.simulator.faults().setCreateResponsesIncludeId(false);
    h.create(serverSideKey(ns, "no-id"));
    h.awaitReason(ns, "no-id", "KeyReady");
    assertThat(h.get(ns, "no-id").getStatus().key.id).isNull();
    h.client.resource(h.get(ns, "no-id")).delete();
    h.awaitGone(ns, "no-id");
    assertThat(h.allKeys(ns + "-no-id-")).singleElement().satisfies(k -> assertThat(k.active()).isFalse());
  }

  @Test
  void lostCreateAnswerIsIndeterminateUntilAcknowledged() {
    String ns = h.namespaceWithProvider();
    h.simulator.faults().setDropCreateResponses(1);
    h.create(serverSideKey(ns, "lost"));
    StatusCondition c = h.awaitReason(ns, "lost", "CreationIndeterminate");
    List<SimKey> created = h.allKeys(ns + "-lost-");
    assertThat(created).hasSize(1);
    String lostName = created.get(0).name();
    assertThat(c.getMessage()).contains(lostName).contains("apikeyoperator.dev/acknowledge-indeterminate");
    assertThat(h.secret(ns, "lost")).isNull();
    List<Event> warnings = h.client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "CreationIndeterminate".equals(e.getReason())).toList();
    assertThat(warnings).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains(lostName);
    });

    // A deletion now must not drop the finalizer: the key is not forgotten silently.
    // (Nudge a reconcile with an unrelated annotation first; no second create may happen.)
    ApiKey k = h.get(ns, "lost");
    k.getMetadata().getAnnotations().put("nudge", "1");
    h.client.resource(k).update();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(h.allKeys(ns + "-lost-")).hasSize(1));

    k = h.get(ns, "lost");
    k.getMetadata().getAnnotations().put("apikeyoperator.dev/acknowledge-indeterminate", lostName);
    h.client.resource(k).update();
    h.awaitReason(ns, "lost", "KeyReady");
    List<SimKey> after = h.allKeys(ns + "-lost-");
    assertThat(after).hasSize(2);
    SimKey current = after.stream().filter(s -> !s.name().equals(lostName)).findFirst().orElseThrow();
    assertThat(OperatorHarness.value(h.secret(ns, "lost"), "apiKey")).isEqualTo(current.key());
  }

  @Test
  void deletionWaitsWhileACreationIsIndeterminate() {
    String ns = h.namespaceWithProvider();
    h.simulator.faults().setDropCreateResponses(1);
    h.create(serverSideKey(ns, "lost-then-deleted"));
    h.awaitReason(ns, "lost-then-deleted", "CreationIndeterminate");
    String lostName = h.allKeys(ns + "-lost-then-deleted-").get(0).name();
    h.client.resource(h.get(ns, "lost-then-deleted")).delete();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(h.get(ns, "lost-then-deleted")).isNotNull());
    ApiKey k = h.get(ns, "lost-then-deleted");
    k.getMetadata().getAnnotations().put("apikeyoperator.dev/acknowledge-indeterminate", lostName);
    h.client.resource(k).update();
    h.awaitGone(ns, "lost-then-deleted");
    assertThat(h.allKeys(ns + "-lost-then-deleted-")).hasSize(1);
  }

  @Test
  void pausedMakesNoVendorCalls() {
    String ns = h.namespaceWithProvider();
    ApiKey k = serverSideKey(ns, "paused");
    k.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("apikeyoperator.dev/paused", "true")));
    h.create(k);
    h.awaitReason(ns, "paused", "Paused");
    assertThat(h.allKeys(ns + "-")).isEmpty();
    ApiKey live = h.get(ns, "paused");
    live.getMetadata().getAnnotations().remove("apikeyoperator.dev/paused");
    h.client.resource(live).update();
    h.awaitReason(ns, "paused", "KeyReady");
  }

  private static void admin(ApiKey k, List<FmeRole> roles) {
    k.getSpec().fme.type = FmeKeyType.ADMIN;
    k.getSpec().fme.roles = new ArrayList<>(roles);
  }

  private static SecretSpec secret(ApiKey k) {
    if (k.getSpec().secret == null) {
      k.getSpec().secret = new SecretSpec();
    }
    return k.getSpec().secret;
  }
}
