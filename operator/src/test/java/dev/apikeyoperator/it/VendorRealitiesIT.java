package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeRole;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.status.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The FME vendor as it really is (docs/integrations/vendor-apis.md), against the strict simulator. */
class VendorRealitiesIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness(OperatorSettings.defaults()
      .withVendorReadTimeout(Duration.ofSeconds(3)).withProviderRecheckInterval(Duration.ofSeconds(2)));

  @AfterEach
  void clearFaults() {
    h.simulator.faults().clear();
    h.simulator.rules().setPaywallAdminKeys(false);
  }

  /** A namespace whose provider uses {@code token}. */
  private static String namespaceWithCredential(String token) {
    String ns = h.newNamespace();
    h.credentials(ns, "fme-admin", token);
    h.provider(ns, OperatorHarness.PROVIDER, "fme-admin");
    return ns;
  }

  private static StatusCondition providerReady(String ns) {
    ApiKeyProvider p = h.client.resources(ApiKeyProvider.class).inNamespace(ns).withName(OperatorHarness.PROVIDER)
        .get();
    return p == null || p.getStatus() == null ? null
        : Conditions.find(p.getStatus().conditions, Conditions.READY).orElse(null);
  }

  private static ApiKey byIds(String ns, String name) {
    ApiKey k = serverSideKey(ns, name);
    k.getSpec().fme.project = NameOrId.byId(h.simulator.projectId("Shop"));
    k.getSpec().fme.environments = new ArrayList<>(List.of(NameOrId.byId(h.simulator.environmentId("Shop",
        "Production"))));
    return k;
  }

  private static int count(String call) {
    return h.simulator.requestCounts().getOrDefault(call, 0);
  }

  @Test
  void anApiKeyOnlyCredentialIsValidMintsByIdAndSaysWhyNamesFail() {
    h.simulator.addCredential("keys-only", List.of("API_APIKEY"), null, List.of());
    String ns = namespaceWithCredential("keys-only");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(providerReady(ns)).isNotNull()
        .satisfies(c -> {
          assertThat(c.status).isEqualTo("True");
          assertThat(c.reason).isEqualTo("CredentialsValid");
          assertThat(c.message).contains("names cannot be looked up").contains("API_WORKSPACE_ADMIN");
        }));

    h.create(byIds(ns, "by-id"));
    h.awaitReason(ns, "by-id", "KeyReady");
    h.create(serverSideKey(ns, "by-name"));
    assertThat(h.awaitReason(ns, "by-name", "ProjectNotFound").getMessage())
        .contains("API_ALL_GRANTED, API_ADMIN or API_WORKSPACE_ADMIN").contains("{id: ...}");
    assertThat(h.allKeys(ns + "-by-name-")).isEmpty();

    ApiKey wrong = byIds(ns, "wrong-env");
    wrong.getSpec().fme.environments = new ArrayList<>(List.of(NameOrId.byId("no-such-environment")));
    h.create(wrong);
    assertThat(h.awaitReason(ns, "wrong-env", "EnvironmentNotFound").getMessage()).contains("404");

    // a GLOBAL-scope API_APIKEY credential may delete: its 200 revokes the key
    h.client.resource(h.get(ns, "by-id")).delete();
    h.awaitGone(ns, "by-id");
    assertThat(h.activeKeys(ns + "-by-id-")).isEmpty();
  }

  @Test
  void a404FromACredentialOfUnknownScopeKeepsTheKeyAndSaysWhatToDo() {
    h.simulator.addCredential("project-keys", List.of("API_APIKEY"), h.simulator.projectId("Shop"), List.of());
    String ns = namespaceWithCredential("project-keys");
    h.create(byIds(ns, "scoped"));
    h.awaitReason(ns, "scoped", "KeyReady");

    h.client.resource(h.get(ns, "scoped")).delete();
    assertThat(h.awaitReason(ns, "scoped", "RevocationFailed").getMessage())
        .contains("does not prove the key revoked").contains("GLOBAL-scope");
    assertThat(h.activeKeys(ns + "-scoped-")).hasSize(1); // still live: the finalizer stays
    assertThat(h.get(ns, "scoped")).isNotNull();

    // with a GLOBAL-scope credential the delete goes through
    h.client.secrets().inNamespace(ns).withName("fme-admin").edit(s -> {
      s.setData(java.util.Map.of("token", java.util.Base64.getEncoder().encodeToString(
          h.simulator.adminToken().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      return s;
    });
    h.awaitGone(ns, "scoped");
    assertThat(h.activeKeys(ns + "-scoped-")).isEmpty();
  }

  @Test
  void longNamesAreShortenedToTheVendorsLimitKeepingTheSuffix() {
    String ns = h.namespaceWithProvider();
    h.editProvider(ns, OperatorHarness.PROVIDER, p -> p.getSpec().keyNamePrefix = "cluster-eu-west-1-");
    String name = "checkout-" + "x".repeat(110);
    h.create(serverSideKey(ns, name));
    h.awaitReason(ns, name, "KeyReady");
    String keyName = h.get(ns, name).getStatus().key.name;
    assertThat(keyName).hasSize(100).startsWith("cluster-eu-west-1-" + ns + "-checkout-").matches(".*-[a-z0-9]{6}");
    assertThat(h.activeKeys(keyName)).hasSize(1);
  }

  @Test
  void aPaywallIsShownInPlainWordsAndNotRetriedInALoop() throws Exception {
    h.simulator.rules().setPaywallAdminKeys(true);
    String ns = h.namespaceWithProvider();
    h.editProvider(ns, OperatorHarness.PROVIDER, p -> {
      p.getSpec().policy = new ProviderPolicy();
      p.getSpec().policy.allowedTypes = List.of(FmeKeyType.SERVER_SIDE, FmeKeyType.ADMIN);
      p.getSpec().policy.allowedRoles = List.of(FmeRole.API_FEATURE_FLAG_VIEWER);
    });
    int before = count("POST /apiKeys 402");
    ApiKey admin = serverSideKey(ns, "admin");
    admin.getSpec().fme.type = FmeKeyType.ADMIN;
    admin.getSpec().fme.roles = new ArrayList<>(List.of(FmeRole.API_FEATURE_FLAG_VIEWER));
    h.create(admin);
    assertThat(h.awaitReason(ns, "admin", "VendorError").getMessage())
        .contains("plan does not include admin API keys").contains("Forbidden by Paywalls");
    Thread.sleep(5_000); // a retry loop would have tried again by now
    assertThat(count("POST /apiKeys 402") - before).isEqualTo(1);
    assertThat(h.allKeys(ns + "-admin-")).isEmpty();
  }

  @Test
  void aBurstOfStatsigKeysIsPacedUnderTheVendorsLimit() {
    // The simulator's burst protection, lowered to just above what the default pace lets through in 10 s
    // (burst 20 + 1.5/s * 10 s = 35): 40 unpaced creates would bounce off it.
    h.statsig.setMutationLimits(36, 1800);
    try {
      String ns = h.namespaceWithStatsigProvider();
      int before = h.statsig.requestCounts().getOrDefault("POST /keys 429", 0);
      int keys = 40;
      for (int i = 0; i < keys; i++) {
        h.create(OperatorHarness.statsigKey(ns, "paced-" + i));
      }
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        for (int i = 0; i < keys; i++) {
          assertThat(h.ready(ns, "paced-" + i)).hasValueSatisfying(c -> assertThat(c.getReason())
              .isEqualTo("KeyReady"));
        }
      });
      assertThat(h.statsig.requestCounts().getOrDefault("POST /keys 429", 0)).isEqualTo(before);
      assertThat(h.statsig.requestCounts().keySet()).noneMatch(call -> call.endsWith(" 429"));
    } finally {
      h.statsig.setMutationLimits(100, 1800);
    }
  }

  @Test
  void aTransientWorkspaceListing500IsRetried() {
    String ns = h.newNamespace();
    h.simulator.faults().setWorkspaceListErrors(2);
    h.credentials(ns, "fme-admin", h.simulator.adminToken());
    h.provider(ns, OperatorHarness.PROVIDER, "fme-admin");
    h.create(serverSideKey(ns, "listed"));
    h.awaitReason(ns, "listed", "KeyReady");
    assertThat(count("GET /workspaces 500")).isGreaterThanOrEqualTo(2);
    assertThat(h.activeKeys(ns + "-listed-")).hasSize(1);
  }
}
