package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.AllowedNamespaces;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.FmeCredentials;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeProviderSpec;
import dev.apikeyoperator.api.v1alpha1.FmeRole;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Multi-tenancy: who may mint which key through which provider. Every denial makes no create call. */
class PolicyIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  @BeforeAll
  static void tenants() {
    namespace("platform", Map.of());
    namespace("shop-a", Map.of());
    namespace("pay", Map.of("team", "payments"));
    namespace("other", Map.of());
    h.credentials("platform", "fme-admin", h.simulator.adminToken());
    clusterProvider("restricted", p -> {
      ClusterApiKeyProviderSpec s = p.getSpec();
      s.allowedNamespaces = new AllowedNamespaces();
      s.allowedNamespaces.names = List.of("shop-a");
      s.allowedNamespaces.selector = new dev.apikeyoperator.api.v1alpha1.NamespaceSelector();
      s.allowedNamespaces.selector.matchLabels.put("team", "payments");
      s.policy = new ProviderPolicy();
      s.policy.allowedTypes = List.of(FmeKeyType.SERVER_SIDE, FmeKeyType.CLIENT_SIDE, FmeKeyType.ADMIN);
      s.policy.allowedRoles = List.of(FmeRole.API_FEATURE_FLAG_VIEWER);
      s.policy.allowedProjects = List.of("Shop");
      s.policy.allowedEnvironments = List.of("Production");
    });
    clusterProvider("defaults", p -> { });
    clusterProvider("migrated", p -> {
      p.getSpec().fme.harnessMigrated = true;
      p.getSpec().policy = new ProviderPolicy();
      p.getSpec().policy.allowedTypes = List.of(FmeKeyType.SERVER_SIDE, FmeKeyType.ADMIN);
      p.getSpec().policy.allowedRoles = List.of(FmeRole.API_FEATURE_FLAG_VIEWER);
    });
    h.credentials("other", "fme-admin", h.simulator.adminToken());
    h.provider("other", "local", "fme-admin");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, namespace, provider, change, expected reason, message fragment
        c("allowed-by-name", "shop-a", "restricted", k -> { }, "KeyReady", "is in Secret"),
        c("allowed-by-selector", "pay", "restricted", k -> { }, "KeyReady", "is in Secret"),
        c("namespace-not-served", "other", "restricted", k -> { }, "NamespaceNotAllowed",
            "ClusterApiKeyProvider restricted does not serve namespace other"),
        c("client-namespace-not-served", "other", "restricted", k -> k.getSpec().fme.type = FmeKeyType.CLIENT_SIDE,
            "NamespaceNotAllowed", "does not serve namespace other"),
        c("all-granted-denied", "shop-a", "restricted", admin(FmeRole.API_ALL_GRANTED), "PolicyDenied",
            "ClusterApiKeyProvider restricted does not allow the role(s) API_ALL_GRANTED"),
        c("extra-role-denied", "shop-a", "restricted", admin(FmeRole.API_FEATURE_FLAG_VIEWER,
            FmeRole.API_SEGMENT_EDITOR), "PolicyDenied", "does not allow the role(s) API_SEGMENT_EDITOR"),
        c("allowed-admin", "shop-a", "restricted", admin(FmeRole.API_FEATURE_FLAG_VIEWER), "KeyReady", "is in Secret"),
        c("admin-by-default-denied", "shop-a", "defaults", admin(FmeRole.API_FEATURE_FLAG_VIEWER), "PolicyDenied",
            "ClusterApiKeyProvider defaults does not allow admin keys (policy.allowedTypes: server_side, client_side)"),
        c("project-denied", "shop-a", "restricted", k -> k.getSpec().fme.project = NameOrId.byName("Default"),
            "PolicyDenied", "does not allow project Default"),
        c("project-id-denied", "shop-a", "restricted", k -> k.getSpec().fme.project = NameOrId.byId(
            h.simulator.projectId("Default")), "PolicyDenied", "does not allow project Default"),
        c("project-id-allowed", "shop-a", "restricted", k -> k.getSpec().fme.project = NameOrId.byId(
            h.simulator.projectId("Shop")), "KeyReady", "is in Secret"),
        c("environment-denied", "shop-a", "restricted", env(NameOrId.byName("Staging")), "PolicyDenied",
            "does not allow environment Staging"),
        c("environment-id-denied", "shop-a", "restricted", k -> env(NameOrId.byId(h.simulator.environmentId("Shop",
            "Staging"))).accept(k), "PolicyDenied", "does not allow environment Staging"),
        c("global-admin-denied", "shop-a", "restricted", k -> {
          admin(FmeRole.API_FEATURE_FLAG_VIEWER).accept(k);
          k.getSpec().fme.project = null;
          k.getSpec().fme.environments = new ArrayList<>();
        }, "PolicyDenied", "a global admin key is not allowed"),
        c("project-scope-admin-denied", "shop-a", "restricted", k -> {
          admin(FmeRole.API_FEATURE_FLAG_VIEWER).accept(k);
          k.getSpec().fme.environments = new ArrayList<>();
        }, "PolicyDenied", "a key for all environments is not allowed"),
        c("admin-without-roles", "shop-a", "restricted", admin(), "InvalidSpec", "admin keys need at least one role"),
        c("namespaced-provider-elsewhere", "shop-a", null, k -> {
          k.getSpec().providerRef.kind = ProviderRef.Kind.ApiKeyProvider;
          k.getSpec().providerRef.name = "local";
        }, "ProviderNotFound", "ApiKeyProvider shop-a/local does not exist"),
        c("no-namespace-limit", "other", "defaults", k -> { }, "KeyReady", "is in Secret"),
        c("migrated-admin-denied", "shop-a", "migrated", admin(FmeRole.API_FEATURE_FLAG_VIEWER), "PolicyDenied",
            "Harness-migrated account"),
        c("migrated-sdk-allowed", "shop-a", "migrated", k -> { }, "KeyReady", "is in Secret"),
        c("client-by-selector", "pay", "restricted", k -> k.getSpec().fme.type = FmeKeyType.CLIENT_SIDE, "KeyReady",
            "is in Secret"),
        c("client-type-denied", "shop-a", "migrated", k -> k.getSpec().fme.type = FmeKeyType.CLIENT_SIDE,
            "PolicyDenied", "does not allow client_side keys"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isolation(String name, String namespace, String provider, Consumer<ApiKey> change, String reason,
      String fragment) {
    ApiKey k = serverSideKey(namespace, name);
    k.getSpec().providerRef.kind = ProviderRef.Kind.ClusterApiKeyProvider;
    k.getSpec().providerRef.name = provider;
    change.accept(k);
    int createsBefore = h.simulator.createCount();
    h.create(k);
    StatusCondition c = h.awaitReason(namespace, name, reason);
    assertThat(c.getMessage()).contains(fragment);
    if ("KeyReady".equals(reason)) {
      assertThat(h.activeKeys(namespace + "-" + name + "-")).hasSize(1);
    } else {
      assertThat(c.getMessage()).contains("No key was created");
      assertThat(h.allKeys(namespace + "-" + name + "-")).isEmpty();
      assertThat(h.simulator.createCount()).isEqualTo(createsBefore);
    }
  }

  @Test
  void namespaceLabelChangeTakesEffectWithoutRestart() {
    namespace("later", Map.of());
    ApiKey k = serverSideKey("later", "waits");
    k.getSpec().providerRef.kind = ProviderRef.Kind.ClusterApiKeyProvider;
    k.getSpec().providerRef.name = "restricted";
    h.create(k);
    h.awaitReason("later", "waits", "NamespaceNotAllowed");
    h.edit(Namespace.class, null, "later", ns -> ns.getMetadata().setLabels(Map.of("team", "payments")));
    h.awaitReason("later", "waits", "KeyReady");
  }

  @Test
  void aNamespaceNoLongerServedGetsNoNewKeyButItsKeysAreRevokedOnDeletion() {
    namespace("leaving", Map.of("team", "payments"));
    ApiKey k = serverSideKey("leaving", "kept");
    k.getSpec().providerRef.kind = ProviderRef.Kind.ClusterApiKeyProvider;
    k.getSpec().providerRef.name = "restricted";
    h.create(k);
    h.awaitReason("leaving", "kept", "KeyReady");
    h.edit(Namespace.class, null, "leaving", ns -> ns.getMetadata().setLabels(Map.of()));
    h.awaitReason("leaving", "kept", "NamespaceNotAllowed");
    // The key still works (Ready=True); Synced says why nothing more is done.
    assertThat(h.ready("leaving", "kept")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    // Revoking what was minted for this very ApiKey is never refused: otherwise its deletion would leak the key.
    h.client.resource(h.get("leaving", "kept")).delete();
    h.awaitGone("leaving", "kept");
    assertThat(h.activeKeys("leaving-kept-")).isEmpty();
  }

  @Test
  void policyTightenedUnderALiveKeyKeepsIt() {
    namespace("tight", Map.of());
    clusterProvider("tightening", p -> { });
    ApiKey k = serverSideKey("tight", "live");
    k.getSpec().providerRef.kind = ProviderRef.Kind.ClusterApiKeyProvider;
    k.getSpec().providerRef.name = "tightening";
    h.create(k);
    h.awaitReason("tight", "live", "KeyReady");
    h.edit(ClusterApiKeyProvider.class, null, "tightening", p -> {
      p.getSpec().policy = new ProviderPolicy();
      p.getSpec().policy.allowedTypes = List.of(FmeKeyType.CLIENT_SIDE);
    });
    StatusCondition c = h.awaitReason("tight", "live", "PolicyDenied");
    assertThat(c.getMessage()).contains("does not allow server_side keys").contains("is kept");
    assertThat(c.getStatus()).isEqualTo("False"); // Synced: the change is not applied
    assertThat(h.ready("tight", "live")).hasValueSatisfying(r -> { // the old key keeps serving
      assertThat(r.getStatus()).isEqualTo("True");
      assertThat(r.getReason()).isEqualTo("KeyReady");
    });
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(h.activeKeys("tight-live-")).hasSize(1));
    assertThat(h.secret("tight", "live")).isNotNull();
  }

  @Test
  void aClusterProvidersInUseEventNamesNoTenantsApiKeys() {
    namespace("tenant-secretive", Map.of());
    clusterProvider("leaving", p -> { });
    ApiKey k = serverSideKey("tenant-secretive", "hidden-name");
    k.getSpec().providerRef.kind = ProviderRef.Kind.ClusterApiKeyProvider;
    k.getSpec().providerRef.name = "leaving";
    h.create(k);
    h.awaitReason("tenant-secretive", "hidden-name", "KeyReady");
    await().atMost(Duration.ofSeconds(10)).until(() -> h.client.resources(ClusterApiKeyProvider.class)
        .withName("leaving").get().getMetadata().getFinalizers().contains("apikeyoperator.dev/revoke"));
    h.client.resources(ClusterApiKeyProvider.class).withName("leaving").delete();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(h.client.v1().events().inAnyNamespace()
        .list().getItems()).filteredOn(e -> "InUse".equals(e.getReason())
            && "leaving".equals(e.getInvolvedObject().getName())).isNotEmpty().allSatisfy(e ->
            assertThat(e.getMessage()).contains("is still used by 1 ApiKey(s)").doesNotContain("tenant-secretive")
                .doesNotContain("hidden-name")));
    h.client.resource(h.get("tenant-secretive", "hidden-name")).delete();
    h.awaitGone("tenant-secretive", "hidden-name");
  }

  private static Arguments c(String name, String ns, String provider, Consumer<ApiKey> change, String reason,
      String fragment) {
    return Arguments.of(name, ns, provider, change, reason, fragment);
  }

  private static Consumer<ApiKey> admin(FmeRole... roles) {
    return k -> {
      k.getSpec().fme.type = FmeKeyType.ADMIN;
      k.getSpec().fme.roles = new ArrayList<>(List.of(roles));
    };
  }

  private static Consumer<ApiKey> env(NameOrId env) {
    return k -> k.getSpec().fme.environments = new ArrayList<>(List.of(env));
  }

  private static void namespace(String name, Map<String, String> labels) {
    h.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
        .endMetadata().build()).create();
  }

  private static void clusterProvider(String name, Consumer<ClusterApiKeyProvider> change) {
    ClusterApiKeyProvider p = new ClusterApiKeyProvider();
    p.getMetadata().setName(name);
    ClusterApiKeyProviderSpec spec = new ClusterApiKeyProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.fme.baseUrl = h.simulator.baseUrl();
    spec.fme.credentials = new FmeCredentials();
    spec.fme.credentials.secretRef = new CredentialsSecretRef();
    spec.fme.credentials.secretRef.name = "fme-admin";
    spec.fme.credentials.secretRef.namespace = "platform";
    p.setSpec(spec);
    change.accept(p);
    h.client.resource(p).create();
  }
}
