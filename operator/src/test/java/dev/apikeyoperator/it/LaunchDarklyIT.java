package dev.apikeyoperator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.DeletionPolicy;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeySpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeyType;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyRole;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.api.v1alpha1.SecretSpec;
import dev.apikeyoperator.api.v1alpha1.SecretTemplate;
import dev.apikeyoperator.simulator.LaunchDarklySimulator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LaunchDarkly against its simulator: SDK keys and tokens minted, rotated with the vendor's own overlap, found again
 * after a lost answer, deleted or kept; the environment's shared key read and kept current, never reset unless
 * allowed; a plan that allows one SDK key refused clearly.
 */
class LaunchDarklyIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness().withoutLeakCheck(); // its own check: see noValueLeaked
  static LaunchDarklySimulator ld;
  /** Every LaunchDarkly key value seen in a Secret: none may leak. */
  static final List<String> seen = new ArrayList<>();

  @BeforeAll
  static void startSimulator() {
    ld = LaunchDarklySimulator.start(0);
    ld.addEnvironment("shop", "production");
  }

  @AfterAll
  static void noValueLeaked() {
    try {
      seen.addAll(ld.environmentKeys("shop", "production").subList(1, 3));
      List<String> places = new ArrayList<>(CapturingAppender.lines());
      h.client.v1().events().inAnyNamespace().list().getItems()
          .forEach(e -> places.add(e.getReason() + " " + e.getMessage()));
      h.client.resources(ApiKey.class).inAnyNamespace().list().getItems()
          .forEach(k -> places.add(Serialization.asJson(k.getStatus())));
      places.add(h.metrics.scrape());
      for (String v : seen) {
        assertThat(places).noneSatisfy(p -> assertThat(p).contains(v));
      }
    } finally {
      ld.close();
    }
  }

  static String namespace(Consumer<ProviderPolicy> policy) {
    String ns = h.newNamespace();
    h.credentials(ns, "ld-admin", ld.adminToken());
    ApiKeyProvider p = new ApiKeyProvider();
    p.getMetadata().setName("ld");
    p.getMetadata().setNamespace(ns);
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.launchDarkly = new LaunchDarklyProviderSpec();
    spec.launchDarkly.baseUrl = ld.baseUrl();
    spec.launchDarkly.readBackInterval = "1s";
    spec.launchDarkly.credentials = new LaunchDarklyProviderSpec.Credentials();
    spec.launchDarkly.credentials.secretRef = new CredentialsSecretRef();
    spec.launchDarkly.credentials.secretRef.name = "ld-admin";
    spec.policy = new ProviderPolicy();
    policy.accept(spec.policy);
    p.setSpec(spec);
    h.client.resource(p).create();
    return ns;
  }

  static ApiKey key(String ns, String name, LaunchDarklyKeyType type) {
    ApiKey k = new ApiKey();
    k.getMetadata().setName(name);
    k.getMetadata().setNamespace(ns);
    ApiKeySpec spec = new ApiKeySpec();
    spec.providerRef = new ProviderRef();
    spec.providerRef.name = "ld";
    spec.launchDarkly = new LaunchDarklyKeySpec();
    spec.launchDarkly.type = type;
    spec.launchDarkly.description = name + " service";
    if (type != LaunchDarklyKeyType.ACCESS_TOKEN) {
      spec.launchDarkly.project = "shop";
      spec.launchDarkly.environment = "production";
    } else {
      spec.launchDarkly.role = LaunchDarklyRole.READER;
    }
    spec.secret = new SecretSpec();
    spec.secret.template = new SecretTemplate();
    spec.secret.template.data = new HashMap<>(Map.of("clientSideId", "{{clientSideId}}"));
    if (type == LaunchDarklyKeyType.ACCESS_TOKEN) {
      spec.secret.template = null;
    }
    k.setSpec(spec);
    return k;
  }

  static String secretValue(String ns, String name) {
    String v = OperatorHarness.value(h.secret(ns, name), "apiKey");
    seen.add(v);
    return v;
  }

  static void rotate(String ns, String name, String request) {
    h.edit(ApiKey.class, ns, name, k -> {
      Map<String, String> a = k.getMetadata().getAnnotations() == null ? new HashMap<>()
          : new HashMap<>(k.getMetadata().getAnnotations());
      a.put("apikeyoperator.dev/rotate-requested-at", request);
      k.getMetadata().setAnnotations(a);
    });
  }

  static long sdkKeysNamed(String prefix) {
    return ld.sdkKeys().stream().filter(k -> k.get(0).startsWith(prefix)).count();
  }

  @Test
  void anSdkKeyIsMintedRotatedWithTheVendorsOverlapAndRevokedOnDeletion() {
    String ns = namespace(p -> { });
    ApiKey k = key(ns, "checkout", LaunchDarklyKeyType.SDK);
    k.getSpec().rotation = new RotationSpec();
    k.getSpec().rotation.gracePeriod = "10s";
    h.create(k);
    h.awaitReason(ns, "checkout", "KeyReady");
    String first = secretValue(ns, "checkout");
    assertThat(ld.sdkCredentialWorks(first)).isTrue();
    assertThat(OperatorHarness.value(h.secret(ns, "checkout"), "clientSideId"))
        .isEqualTo(ld.environmentKeys("shop", "production").get(0));
    assertThat(h.get(ns, "checkout").getStatus().key.id).startsWith("sdkKey:shop/production/" + ns + "-checkout-");

    rotate(ns, "checkout", "r1");
    await().atMost(Duration.ofSeconds(20)).until(() -> !secretValue(ns, "checkout").equals(first));
    String second = secretValue(ns, "checkout");
    // The replaced key is given its expiry at the vendor at once, and both work during the grace period.
    await().atMost(Duration.ofSeconds(5)).until(() -> ld.sdkKeyExpiry(first) != null);
    assertThat(ld.sdkCredentialWorks(first)).isTrue();
    assertThat(ld.sdkCredentialWorks(second)).isTrue();
    // Asked once: the ledger records it, so a restarted operator does not ask again.
    h.stopOperator();
    h.startOperator();
    h.awaitReason(ns, "checkout", "Rotating");
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
    assertThat(ld.expiryPatches(first)).as("the expiry was given once, restart included").isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> !ld.sdkCredentialWorks(first));
    await().atMost(Duration.ofSeconds(20)).until(() -> sdkKeysNamed(ns + "-checkout-") == 1);
    h.awaitReason(ns, "checkout", "KeyReady");

    h.client.resource(h.get(ns, "checkout")).delete();
    h.awaitGone(ns, "checkout");
    assertThat(ld.sdkCredentialWorks(second)).isFalse();
    assertThat(sdkKeysNamed(ns + "-checkout-")).isZero();
  }

  @Test
  void orphanKeepsTheKeyAndAMobileKeyIsOneOfItsOwn() {
    String ns = namespace(p -> { });
    ApiKey k = key(ns, "app", LaunchDarklyKeyType.MOBILE);
    k.getSpec().deletionPolicy = DeletionPolicy.Orphan;
    h.create(k);
    h.awaitReason(ns, "app", "KeyReady");
    String value = secretValue(ns, "app");
    assertThat(value).startsWith("mob-").isNotEqualTo(ld.environmentKeys("shop", "production").get(2));
    h.client.resource(h.get(ns, "app")).delete();
    h.awaitGone(ns, "app");
    assertThat(ld.sdkCredentialWorks(value)).isTrue();
  }

  @Test
  void anAccessTokenIsRotatedWithTheVendorsOverlapAndOnlyAllowedRolesAreMinted() {
    String ns = namespace(p -> p.allowedLaunchDarklyTypes = new ArrayList<>(List.of(
        LaunchDarklyKeyType.ACCESS_TOKEN)));
    ApiKey k = key(ns, "robot", LaunchDarklyKeyType.ACCESS_TOKEN);
    k.getSpec().rotation = new RotationSpec();
    k.getSpec().rotation.gracePeriod = "10s";
    ApiKey admin = key(ns, "root", LaunchDarklyKeyType.ACCESS_TOKEN);
    admin.getSpec().launchDarkly.role = LaunchDarklyRole.ADMIN;
    ApiKey sdk = key(ns, "sdk", LaunchDarklyKeyType.SDK);
    h.create(k);
    h.create(admin);
    h.create(sdk);
    assertThat(h.awaitReason(ns, "root", "PolicyDenied").getMessage()).contains("role admin")
        .contains("allowedLaunchDarklyRoles: reader");
    assertThat(h.awaitReason(ns, "sdk", "PolicyDenied").getMessage()).contains("allowedLaunchDarklyTypes");
    h.awaitReason(ns, "robot", "KeyReady");
    String first = secretValue(ns, "robot");
    assertThat(ld.tokenWorks(first)).isTrue();
    rotate(ns, "robot", "r1");
    await().atMost(Duration.ofSeconds(20)).until(() -> !secretValue(ns, "robot").equals(first));
    String second = secretValue(ns, "robot");
    assertThat(ld.tokenWorks(second)).isTrue();
    assertThat(ld.tokenWorks(first)).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> !ld.tokenWorks(first));
    assertThat(ld.tokenWorks(second)).isTrue();
    // Revoked when the grace is over (the vendor's expiry came first).
    await().atMost(Duration.ofSeconds(20)).until(() -> ld.tokens().stream()
        .filter(t -> t.get(1).startsWith(ns + "-robot-")).count() == 1);
    h.client.resource(h.get(ns, "robot")).delete();
    h.awaitGone(ns, "robot");
    assertThat(ld.tokenWorks(second)).isFalse();
  }

  @Test
  void lostCreatesResolveWithoutAHuman() {
    String ns = namespace(p -> p.allowedLaunchDarklyTypes = new ArrayList<>(List.of(LaunchDarklyKeyType.SDK,
        LaunchDarklyKeyType.ACCESS_TOKEN)));
    ld.dropCreateAnswers(1);
    h.create(key(ns, "lost-sdk", LaunchDarklyKeyType.SDK));
    h.awaitReason(ns, "lost-sdk", "KeyReady");
    String value = secretValue(ns, "lost-sdk");
    assertThat(sdkKeysNamed(ns + "-lost-sdk-")).as("the key found again by its id, no second one").isEqualTo(1);
    assertThat(OperatorHarness.value(h.secret(ns, "lost-sdk"), "clientSideId"))
        .isEqualTo(ld.environmentKeys("shop", "production").get(0));
    assertThat(ld.sdkCredentialWorks(value)).isTrue();

    ld.dropCreateAnswers(1);
    h.create(key(ns, "lost-token", LaunchDarklyKeyType.ACCESS_TOKEN));
    h.awaitReason(ns, "lost-token", "KeyReady");
    String token = secretValue(ns, "lost-token");
    assertThat(ld.tokenWorks(token)).isTrue();
    // The token whose secret was lost was found by name and revoked; only the one minted again remains.
    assertThat(ld.tokens().stream().filter(t -> t.get(1).startsWith(ns + "-lost-token-"))).hasSize(1);
  }

  @Test
  void theSharedEnvironmentKeyIsReadKeptCurrentAndNeverResetOrRevokedUnlessAllowed() {
    ld.addEnvironment("shared", "production");
    String ns = namespace(p -> { });
    ApiKey k = key(ns, "legacy", LaunchDarklyKeyType.ENVIRONMENT_SDK_KEY);
    k.getSpec().launchDarkly.project = "shared";
    h.create(k);
    h.awaitReason(ns, "legacy", "KeyReady");
    assertThat(secretValue(ns, "legacy")).isEqualTo(ld.environmentKeys("shared", "production").get(1));
    assertThat(ld.requestCounts().keySet()).noneMatch(r -> r.startsWith("POST /environments"));

    // A reset in LaunchDarkly's UI reaches the Secret.
    ld.resetSdkKeyOutside("shared", "production");
    String reset = ld.environmentKeys("shared", "production").get(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> secretValue(ns, "legacy").equals(reset));

    // A rotation request is refused without allowSharedKeyReset: the key keeps serving.
    rotate(ns, "legacy", "r1");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.synced(ns, "legacy"))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("PolicyDenied")));
    assertThat(h.synced(ns, "legacy").orElseThrow().getMessage()).contains("allowSharedKeyReset");
    assertThat(h.ready(ns, "legacy")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(ld.environmentKeys("shared", "production").get(1)).isEqualTo(reset);

    // Deleting it never revokes the environment's key, whatever deletionPolicy says.
    h.client.resource(h.get(ns, "legacy")).delete();
    h.awaitGone(ns, "legacy");
    assertThat(ld.sdkCredentialWorks(reset)).isTrue();
    assertThat(ld.environmentKeys("shared", "production").get(1)).isEqualTo(reset);
  }

  @Test
  void aRotationOfTheSharedKeyResetsItWithTheVendorsOverlapWhereAllowed() {
    ld.addEnvironment("allowed", "production");
    String ns = namespace(p -> p.allowSharedKeyReset = true);
    ApiKey k = key(ns, "legacy", LaunchDarklyKeyType.ENVIRONMENT_SDK_KEY);
    k.getSpec().launchDarkly.project = "allowed";
    k.getSpec().rotation = new RotationSpec();
    k.getSpec().rotation.gracePeriod = "30s";
    h.create(k);
    h.awaitReason(ns, "legacy", "KeyReady");
    String before = secretValue(ns, "legacy");
    rotate(ns, "legacy", "r1");
    await().atMost(Duration.ofSeconds(20)).until(() -> !secretValue(ns, "legacy").equals(before));
    assertThat(secretValue(ns, "legacy")).isEqualTo(ld.environmentKeys("allowed", "production").get(1));
    assertThat(ld.sdkCredentialWorks(before)).as("the old shared key works until the grace is over").isTrue();
  }

  @Test
  void aPlanThatAllowsOneSdkKeyIsAClearRefusalAskedOnce() {
    ld.rules().multipleSdkKeys = false;
    try {
      String ns = namespace(p -> { });
      h.create(key(ns, "second", LaunchDarklyKeyType.SDK));
      assertThat(h.awaitReason(ns, "second", "VendorError").getMessage()).contains("environmentSdkKey")
          .contains("Enterprise");
      int refused = ld.requestCounts().getOrDefault("POST /sdk-keys 403", 0);
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(ld.requestCounts().getOrDefault("POST /sdk-keys 403", 0)).isEqualTo(refused);
    } finally {
      ld.rules().multipleSdkKeys = true;
    }
  }
}
