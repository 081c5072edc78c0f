package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.AuthScheme;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeRole;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.ProviderStatus;
import dev.apikeyoperator.api.v1alpha1.RateLimitSpec;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.status.Conditions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Provider health, credentials, usage and deletion. */
class ProviderIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness(OperatorSettings.defaults()
      .withVendorReadTimeout(Duration.ofSeconds(3)).withProviderRecheckInterval(Duration.ofSeconds(2)));

  @AfterEach
  void clearFaults() {
    h.simulator.faults().clear();
  }

  static StatusCondition awaitProvider(String ns, String name, String reason) {
    return awaitProvider(ns, name, reason, "");
  }

  static StatusCondition awaitProvider(String ns, String name, String reason, String fragment) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(providerReady(ns, name))
        .isNotNull().satisfies(c -> {
          assertThat(c.reason).isEqualTo(reason);
          assertThat(c.message).contains(fragment);
        }));
    return providerReady(ns, name);
  }

  static StatusCondition providerReady(String ns, String name) {
    ApiKeyProvider p = h.client.resources(ApiKeyProvider.class).inNamespace(ns).withName(name).get();
    return p == null || p.getStatus() == null ? null
        : Conditions.find(p.getStatus().conditions, Conditions.READY).orElse(null);
  }

  @Test
  void validCredentialsAndUsage() {
    String ns = h.namespaceWithProvider();
    assertThat(awaitProvider(ns, "fme", "CredentialsValid").status).isEqualTo("True");
    h.create(serverSideKey(ns, "a"));
    h.create(serverSideKey(ns, "b"));
    h.awaitReason(ns, "a", "KeyReady");
    h.awaitReason(ns, "b", "KeyReady");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ProviderStatus st = h.client.resources(ApiKeyProvider.class).inNamespace(ns).withName("fme").get().getStatus();
      assertThat(st.keysInUse).isEqualTo(2);
      assertThat(st.usedBy).containsExactly(ns + "/a", ns + "/b");
    });
  }

  @Test
  void missingSecretWrongKeyInvalidAndRotatedToken() {
    String ns = h.newNamespace();
    h.provider(ns, "fme", "fme-admin");
    assertThat(awaitProvider(ns, "fme", "SecretNotFound").message).contains("does not exist");
    h.create(serverSideKey(ns, "waits"));
    StatusCondition c = h.awaitReason(ns, "waits", "ProviderNotReady");
    assertThat(c.message).contains(ns + "/fme-admin");

    h.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("fme-admin")
        .endMetadata().addToData("wrong", b64("x")).build()).create();
    awaitProvider(ns, "fme", "SecretNotFound", "has no data key 'token'");

    replaceSecret(ns, Map.of("token", b64("not-valid")));
    assertThat(awaitProvider(ns, "fme", "CredentialsInvalid").message).doesNotContain("not-valid");

    // Rotating the credential is picked up without a restart.
    replaceSecret(ns, Map.of("token", b64(h.simulator.adminToken())));
    awaitProvider(ns, "fme", "CredentialsValid");
    h.awaitReason(ns, "waits", "KeyReady");
  }

  @Test
  void insecureEndpointIsRefused() {
    String ns = h.newNamespace();
    h.credentials(ns, "fme-admin", h.simulator.adminToken());
    h.provider(ns, "fme", "fme-admin");
    h.editProvider(ns, "fme", p -> p.getSpec().fme.baseUrl = "http://api.split.io/internal/api/v2");
    assertThat(awaitProvider(ns, "fme", "InsecureEndpoint").message).contains("credentials would travel in the "
        + "clear");
    h.create(serverSideKey(ns, "x"));
    assertThat(h.awaitReason(ns, "x", "ProviderNotReady").message).contains("allowInsecureHttp");
    assertThat(h.allKeys(ns + "-")).isEmpty();
  }

  /** A namespaced provider's tenant controls allowInsecureHttp: it is ignored there. */
  @Test
  void allowInsecureHttpIsIgnoredOnANamespacedProvider() {
    String ns = h.newNamespace();
    h.credentials(ns, "fme-admin", h.simulator.adminToken());
    h.provider(ns, "fme", "fme-admin");
    h.editProvider(ns, "fme", p -> {
      p.getSpec().fme.baseUrl = "http://api.split.io/internal/api/v2";
      p.getSpec().allowInsecureHttp = true;
    });
    assertThat(awaitProvider(ns, "fme", "InsecureEndpoint").message)
        .contains("honoured on ClusterApiKeyProviders only");
  }

  /** Size limits hold even where the API server does not enforce the schema's. */
  @Test
  void anOversizedProviderSpecIsRefused() {
    String ns = h.newNamespace();
    h.credentials(ns, "fme-admin", h.simulator.adminToken());
    h.provider(ns, "fme", "fme-admin");
    h.editProvider(ns, "fme", p -> p.getSpec().keyNamePrefix = "p".repeat(41));
    assertThat(awaitProvider(ns, "fme", "InvalidSpec").message)
        .contains("spec.keyNamePrefix has 41 characters: use at most 40").doesNotContain("p".repeat(41));
  }

  /** A tenant cannot point the operator, with the credential it sends, at a cluster service. */
  @Test
  void aNamespacedProviderMayOnlyCallVendorHosts() {
    String ns = h.newNamespace();
    h.credentials(ns, "fme-admin", h.simulator.adminToken());
    h.provider(ns, "fme", "fme-admin");
    h.editProvider(ns, "fme", p -> p.getSpec().fme.baseUrl = "https://kubernetes.default.svc/internal/api/v2");
    assertThat(awaitProvider(ns, "fme", "EndpointNotAllowed").message).contains("kubernetes.default.svc")
        .contains("VENDOR_HOSTS");
    h.create(serverSideKey(ns, "x"));
    assertThat(h.awaitReason(ns, "x", "ProviderNotReady").message).contains("may only call the vendor hosts");
    assertThat(h.allKeys(ns + "-")).isEmpty();
  }

  @Test
  void providerDeletedWhileInUseWaitsForItsApiKeys() {
    String ns = h.namespaceWithProvider();
    h.create(serverSideKey(ns, "user"));
    h.awaitReason(ns, "user", "KeyReady");
    await().atMost(Duration.ofSeconds(10)).until(() -> h.client.resources(ApiKeyProvider.class).inNamespace(ns)
        .withName("fme").get().getMetadata().getFinalizers().contains("apikeyoperator.dev/revoke"));
    h.client.resources(ApiKeyProvider.class).inNamespace(ns).withName("fme").delete();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(h.client.resources(ApiKeyProvider.class).inNamespace(ns).withName("fme").get()).isNotNull());
    assertThat(h.client.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("InUse"));

    h.client.resource(h.get(ns, "user")).delete();
    h.awaitGone(ns, "user");
    assertThat(h.allKeys(ns + "-user-")).singleElement().satisfies(k -> assertThat(k.active()).isFalse());
    await().atMost(Duration.ofSeconds(20)).until(() ->
        h.client.resources(ApiKeyProvider.class).inNamespace(ns).withName("fme").get() == null);
  }

  @Test
  void providerRateLimitPacesCreates() {
    String ns = h.namespaceWithProvider();
    h.editProvider(ns, "fme", p -> {
      p.getSpec().rateLimit = new RateLimitSpec();
      p.getSpec().rateLimit.requestsPerSecond = 1.0;
      p.getSpec().rateLimit.burst = 1;
    });
    // The simulator's limit also counts other traffic (credential checks, lookups): it stays well above the pace.
    h.simulator.faults().setRateLimitPerSecond(6);
    int before429 = h.simulator.requestCounts().getOrDefault("POST /apiKeys 429", 0);
    for (int i = 0; i < 6; i++) {
      h.create(serverSideKey(ns, "paced-" + i));
    }
    for (int i = 0; i < 6; i++) {
      h.awaitReason(ns, "paced-" + i, "KeyReady");
    }
    assertThat(h.simulator.requestCounts().getOrDefault("POST /apiKeys 429", 0)).isEqualTo(before429);
    assertThat(h.activeKeys(ns + "-paced-")).hasSize(6);
  }

  @Test
  void harnessTokensGoAsXApiKeyAndMigratedAccountsRefuseAdminKeys() {
    String ns = h.namespaceWithProvider();
    h.simulator.addCredential("pat.harness.token", List.of("API_ALL_GRANTED"), null, List.of());
    replaceSecret(ns, Map.of("token", b64("pat.harness.token")));
    h.editProvider(ns, "fme", p -> {
      p.getSpec().fme.credentials.scheme = AuthScheme.XApiKey;
      p.getSpec().policy = new ProviderPolicy();
      p.getSpec().policy.allowedTypes = List.of(FmeKeyType.SERVER_SIDE, FmeKeyType.ADMIN);
      p.getSpec().policy.allowedRoles = List.of(FmeRole.API_FEATURE_FLAG_VIEWER);
    });
    awaitProvider(ns, "fme", "CredentialsValid");
    h.create(serverSideKey(ns, "via-pat"));
    h.awaitReason(ns, "via-pat", "KeyReady");

    // The account moved to Harness, but the provider does not say so yet: the vendor's answer is reported.
    h.simulator.setHarnessMigrated(true);
    try {
      ApiKey admin = serverSideKey(ns, "admin-after-move");
      admin.getSpec().fme.type = FmeKeyType.ADMIN;
      admin.getSpec().fme.roles = new java.util.ArrayList<>(List.of(FmeRole.API_FEATURE_FLAG_VIEWER));
      h.create(admin);
      assertThat(h.awaitReason(ns, "admin-after-move", "VendorUnauthorized").getMessage()).contains("403");
      // Said in the provider: refused before any call, with a pointer to Harness service accounts.
      h.editProvider(ns, "fme", p -> p.getSpec().fme.harnessMigrated = true);
      assertThat(h.awaitReason(ns, "admin-after-move", "PolicyDenied").getMessage())
          .contains("Harness service account");
      assertThat(h.allKeys(ns + "-admin-after-move-")).isEmpty();
    } finally {
      h.simulator.setHarnessMigrated(false);
    }
  }

  private static void replaceSecret(String ns, Map<String, String> data) {
    Secret s = h.client.secrets().inNamespace(ns).withName("fme-admin").get();
    h.client.secrets().inNamespace(ns).resource(new SecretBuilder(s).withData(data).build()).update();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
