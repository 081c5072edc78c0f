package dev.apikeyoperator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.AllowedNamespaces;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeySpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeProviderSpec;
import dev.apikeyoperator.api.v1alpha1.NamespaceSelector;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeySpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeyType;
import dev.apikeyoperator.api.v1alpha1.StatsigProviderSpec;
import dev.apikeyoperator.issuer.fme.FmeEnvironment;
import dev.apikeyoperator.issuer.fme.FmePolicy;
import dev.apikeyoperator.issuer.fme.FmeWorkspace;
import dev.apikeyoperator.issuer.Provider;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyPolicyTest {

  private static Provider cluster(AllowedNamespaces allowed) {
    ClusterApiKeyProviderSpec spec = new ClusterApiKeyProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.allowedNamespaces = allowed;
    return new Provider(ProviderRef.Kind.ClusterApiKeyProvider, "shared", null, "uid", spec, null);
  }

  private static Provider namespaced(ProviderSpec spec) {
    return new Provider(ProviderRef.Kind.ApiKeyProvider, "mine", "shop", "uid", spec, null);
  }

  private static Namespace labelled(Map<String, String> labels) {
    return new NamespaceBuilder().withNewMetadata().withName("shop").withLabels(labels).endMetadata().build();
  }

  @Test
  void aClusterProviderServesNamedOrSelectedNamespaces() {
    AllowedNamespaces byName = new AllowedNamespaces();
    byName.names = List.of("shop");
    assertThat(KeyPolicy.checkNamespace(cluster(byName), "shop", null)).isEmpty();
    assertThat(KeyPolicy.checkNamespace(cluster(byName), "other", null)).contains("ClusterApiKeyProvider shared does "
        + "not serve namespace other (allowedNamespaces: names [shop]). Ask the platform team to add it, or use a "
        + "provider that serves this namespace");
    AllowedNamespaces bySelector = new AllowedNamespaces();
    bySelector.selector = new NamespaceSelector();
    bySelector.selector.matchLabels = Map.of("team", "shop");
    assertThat(KeyPolicy.checkNamespace(cluster(bySelector), "shop", labelled(Map.of("team", "shop")))).isEmpty();
    assertThat(KeyPolicy.checkNamespace(cluster(bySelector), "shop", labelled(Map.of("team", "ads")))).isPresent();
    assertThat(KeyPolicy.checkNamespace(cluster(null), "anything", null)).isEmpty();
  }

  @Test
  void selectorExpressionsFollowKubernetes() {
    NamespaceSelector selector = new NamespaceSelector();
    NamespaceSelector.Requirement in = new NamespaceSelector.Requirement();
    in.key = "tier";
    in.operator = "In";
    in.values = List.of("gold", "silver");
    NamespaceSelector.Requirement absent = new NamespaceSelector.Requirement();
    absent.key = "frozen";
    absent.operator = "DoesNotExist";
    selector.matchExpressions = List.of(in, absent);
    assertThat(KeyPolicy.matches(selector, Map.of("tier", "gold"))).isTrue();
    assertThat(KeyPolicy.matches(selector, Map.of("tier", "gold", "frozen", "yes"))).isFalse();
    assertThat(KeyPolicy.matches(selector, Map.of("tier", "bronze"))).isFalse();
  }

  @Test
  void fmeTypesRolesAndMigrationAreChecked() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.fme = new FmeProviderSpec();
    ApiKeySpec admin = new ApiKeySpec();
    admin.fme = new FmeKeySpec();
    admin.fme.type = FmeKeyType.ADMIN;
    assertThat(KeyPolicy.checkRequest(namespaced(spec), admin)).contains("ApiKeyProvider shop/mine does not allow "
        + "admin keys (policy.allowedTypes: server_side, client_side)");
    spec.policy = new ProviderPolicy();
    spec.policy.allowedTypes = List.of(FmeKeyType.ADMIN);
    spec.fme.harnessMigrated = true;
    assertThat(KeyPolicy.checkRequest(namespaced(spec), admin).orElseThrow())
        .startsWith("ApiKeyProvider shop/mine is a Harness-migrated account");
  }

  @Test
  void statsigTypesAreChecked() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.statsig = new StatsigProviderSpec();
    spec.policy = new ProviderPolicy();
    spec.policy.allowedStatsigTypes = List.of(StatsigKeyType.SERVER);
    ApiKeySpec console = new ApiKeySpec();
    console.statsig = new StatsigKeySpec();
    console.statsig.type = StatsigKeyType.CONSOLE;
    assertThat(KeyPolicy.checkRequest(namespaced(spec), console))
        .contains("ApiKeyProvider shop/mine does not allow CONSOLE keys (policy.allowedStatsigTypes: SERVER)");
    console.statsig.type = StatsigKeyType.SERVER;
    assertThat(KeyPolicy.checkRequest(namespaced(spec), console)).isEmpty();
  }

  @Test
  void statsigScopesAreLimitedToClientDownloadConfigSpecsUnlessListed() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.statsig = new StatsigProviderSpec();
    spec.policy = new ProviderPolicy();
    spec.policy.allowedStatsigTypes = List.of(StatsigKeyType.SERVER, StatsigKeyType.CONSOLE);
    ApiKeySpec key = new ApiKeySpec();
    key.statsig = new StatsigKeySpec();
    key.statsig.type = StatsigKeyType.CONSOLE;
    key.statsig.scopes = List.of("client_download_config_specs", "can_access_keys");
    assertThat(KeyPolicy.checkRequest(namespaced(spec), key)).contains("ApiKeyProvider shop/mine does not allow the "
        + "scope(s) can_access_keys (policy.allowedStatsigScopes: client_download_config_specs)");
    key.statsig.type = StatsigKeyType.SERVER;
    key.statsig.scopes = List.of("omni_read_write");
    assertThat(KeyPolicy.checkRequest(namespaced(spec), key).orElseThrow()).contains("omni_read_write");
    key.statsig.scopes = List.of("client_download_config_specs");
    assertThat(KeyPolicy.checkRequest(namespaced(spec), key)).isEmpty();
    spec.policy.allowedStatsigScopes = List.of("omni_read_write");
    key.statsig.scopes = List.of("omni_read_write");
    assertThat(KeyPolicy.checkRequest(namespaced(spec), key)).isEmpty();
  }

  @Test
  void statsigEnvironmentsFollowAllowedEnvironments() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.statsig = new StatsigProviderSpec();
    spec.policy = new ProviderPolicy();
    spec.policy.allowedEnvironments = List.of("staging");
    ApiKeySpec key = new ApiKeySpec();
    key.statsig = new StatsigKeySpec();
    key.statsig.type = StatsigKeyType.SERVER;
    key.statsig.environments = List.of("production");
    assertThat(KeyPolicy.checkRequest(namespaced(spec), key)).contains("ApiKeyProvider shop/mine does not allow "
        + "environment production (policy.allowedEnvironments: staging)");
    key.statsig.environments = List.of();
    assertThat(KeyPolicy.checkRequest(namespaced(spec), key).orElseThrow())
        .contains("a key for all environments is not allowed");
    key.statsig.environments = List.of("staging");
    assertThat(KeyPolicy.checkRequest(namespaced(spec), key)).isEmpty();
  }

  @Test
  void fmeScopeIsComparedByNameOrId() {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.policy = new ProviderPolicy();
    spec.policy.allowedProjects = List.of("shop");
    spec.policy.allowedEnvironments = List.of("env-1");
    Provider p = namespaced(spec);
    FmeWorkspace shop = new FmeWorkspace("ws-1", "shop");
    assertThat(FmePolicy.checkScope(p, shop, List.of(new FmeEnvironment("env-1", "prod")))).isEmpty();
    assertThat(FmePolicy.checkScope(p, new FmeWorkspace("ws-2", "ads"), List.of())).contains("ApiKeyProvider "
        + "shop/mine does not allow project ads (policy.allowedProjects: shop)");
    assertThat(FmePolicy.checkScope(p, null, List.of()).orElseThrow()).contains("a global admin key is not allowed");
    assertThat(FmePolicy.checkScope(p, shop, List.of()).orElseThrow())
        .contains("a key for all environments is not allowed");
    assertThat(FmePolicy.checkScope(p, shop, List.of(new FmeEnvironment("env-2", "staging"))))
        .contains("ApiKeyProvider shop/mine does not allow environment staging (policy.allowedEnvironments: env-1)");
  }
}
