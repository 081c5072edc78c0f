package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.UnleashKeys.backendToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.AdoptSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.status.Conditions;
import dev.apikeyoperator.api.v1alpha1.DeletionPolicy;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.api.v1alpha1.SecretSpec;
import dev.apikeyoperator.api.v1alpha1.SecretTemplate;
import dev.apikeyoperator.api.v1alpha1.UnleashTokenType;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.simulator.UnleashSimToken;
import dev.apikeyoperator.simulator.UnleashSimulator;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Unleash vendor against its simulator: mint, identity change, rotation, adoption, deletion (Delete and Orphan),
 * a lost create found again by name, a foreign token never touched, invalid specs and policy refused before any call.
 */
class UnleashIT {
  /** The harness checks the FME and Statsig simulators' keys, none here: this class checks Unleash's tokens. */
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness().withoutLeakCheck();
  static UnleashSimulator unleash;

  @BeforeAll
  static void startSimulator() {
    unleash = UnleashSimulator.start(0);
  }

  @AfterEach
  void clearFaults() {
    unleash.faults().clear();
  }

  /** No token secret in logs, events, statuses or metrics (the harness checks the other vendors' keys). */
  @AfterAll
  static void noSecretLeakedAndStop() {
    try {
      List<String> places = new ArrayList<>(CapturingAppender.lines());
      h.client.v1().events().inAnyNamespace().list().getItems()
          .forEach(e -> places.add(e.getReason() + " " + e.getMessage()));
      h.client.resources(ApiKey.class).inAnyNamespace().list().getItems()
          .forEach(k -> places.add(Serialization.asJson(k.getStatus())));
      places.add(h.metrics.scrape());
      List<String> secrets = unleash.tokens().stream().map(UnleashSimToken::secret).toList();
      assertThat(secrets).hasSizeGreaterThan(1);
      for (String secret : secrets) {
        assertThat(places).noneSatisfy(p -> assertThat(p).contains(secret));
      }
      assertThat(h.metrics.scrape()).contains("/api-tokens/{id}");
    } finally {
      unleash.close();
    }
  }

  static String ns() {
    return UnleashKeys.namespaceWithProvider(h, unleash.baseUrl(), unleash.adminToken());
  }

  static List<UnleashSimToken> tokens(String ns, String name) {
    return unleash.tokensNamed(ns + "-" + name + "-");
  }

  static UnleashSimToken only(String ns, String name) {
    List<UnleashSimToken> all = tokens(ns, name);
    assertThat(all).as("Unleash tokens of %s/%s", ns, name).hasSize(1);
    return all.get(0);
  }

  @Test
  void mintsATokenIntoTheSecretWithTheServerUrlAndDeletesItWithTheApiKey() {
    String ns = ns();
    ApiKey k = backendToken(ns, "api");
    k.getSpec().secret = new SecretSpec();
    k.getSpec().secret.key = "UNLEASH_API_TOKEN";
    k.getSpec().secret.template = new SecretTemplate();
    k.getSpec().secret.template.data = new HashMap<>(Map.of("UNLEASH_URL", "{{serverUrl}}/api"));
    h.create(k);
    h.awaitReason(ns, "api", "KeyReady");
    UnleashSimToken token = only(ns, "api");
    assertThat(token.type()).isEqualTo("client");
    assertThat(token.environment()).isEqualTo("development");
    assertThat(token.projects()).containsExactly("default");
    assertThat(token.expiresAt()).as("no expireAfter: no expiry").isNull();
    assertThat(token.tokenName()).isEqualTo(h.get(ns, "api").getStatus().key.name);
    assertThat(OperatorHarness.value(h.secret(ns, "api"), "UNLEASH_API_TOKEN")).isEqualTo(token.secret());
    assertThat(OperatorHarness.value(h.secret(ns, "api"), "UNLEASH_URL")).isEqualTo(unleash.baseUrl() + "/api");
    assertThat(unleash.works(token.secret())).isTrue();

    h.client.resource(h.get(ns, "api")).delete();
    h.awaitGone(ns, "api");
    assertThat(tokens(ns, "api")).isEmpty();
    assertThat(unleash.works(token.secret())).isFalse();
  }

  static StatusCondition providerReady(String ns) {
    ApiKeyProvider p = h.client.resources(ApiKeyProvider.class).inNamespace(ns).withName(UnleashKeys.PROVIDER).get();
    return p == null || p.getStatus() == null ? null
        : Conditions.find(p.getStatus().conditions, Conditions.READY).orElse(null);
  }

  @Test
  void theProviderCheckProvesTheAdminTokenWithoutQuotingIt() {
    String good = ns();
    String wrongToken = "*:*.not-an-admin-token-of-this-instance-0000";
    String bad = UnleashKeys.namespaceWithProvider(h, unleash.baseUrl(), wrongToken);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(providerReady(good)).isNotNull().satisfies(c -> assertThat(c.reason).isEqualTo("CredentialsValid"));
      assertThat(providerReady(bad)).isNotNull().satisfies(c -> {
        assertThat(c.reason).isEqualTo("CredentialsInvalid");
        assertThat(c.message).contains("not a valid Unleash admin token").doesNotContain(wrongToken);
      });
    });
    int creates = unleash.createCount();
    h.create(backendToken(bad, "refused"));
    assertThat(h.awaitReason(bad, "refused", "VendorUnauthorized").getMessage()).doesNotContain(wrongToken);
    assertThat(unleash.createCount()).isEqualTo(creates);
  }

  @Test
  void orphanKeepsTheToken() {
    String ns = ns();
    ApiKey k = backendToken(ns, "kept");
    k.getSpec().deletionPolicy = DeletionPolicy.Orphan;
    h.create(k);
    h.awaitReason(ns, "kept", "KeyReady");
    h.client.resource(h.get(ns, "kept")).delete();
    h.awaitGone(ns, "kept");
    assertThat(unleash.works(only(ns, "kept").secret())).isTrue();
  }

  @Test
  void aChangedEnvironmentReplacesTheTokenAfterTheGrace() {
    String ns = ns();
    h.create(RotationIT.withGrace(backendToken(ns, "move"), "2s"));
    h.awaitReason(ns, "move", "KeyReady");
    UnleashSimToken first = only(ns, "move");
    h.edit(ApiKey.class, ns, "move", k -> k.getSpec().unleash.environment = "production");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      UnleashSimToken now = only(ns, "move");
      assertThat(now.environment()).isEqualTo("production");
      assertThat(now.secret()).isNotEqualTo(first.secret());
      assertThat(OperatorHarness.value(h.secret(ns, "move"), "apiKey")).isEqualTo(now.secret());
    });
    assertThat(unleash.works(first.secret())).isFalse();
  }

  @Test
  void aRequestedRotationServesANewTokenAndRevokesTheOldOneWhenTheGraceIsOver() {
    String ns = ns();
    h.create(RotationIT.withGrace(backendToken(ns, "rot"), "3s"));
    h.awaitReason(ns, "rot", "KeyReady");
    UnleashSimToken first = only(ns, "rot");
    h.edit(ApiKey.class, ns, "rot", k -> k.getMetadata().setAnnotations(new HashMap<>(Map.of(
        "apikeyoperator.dev/rotate-requested-at", "now"))));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(OperatorHarness.value(h.secret(ns, "rot"), "apiKey")).isNotEqualTo(first.secret()));
    String second = OperatorHarness.value(h.secret(ns, "rot"), "apiKey");
    assertThat(unleash.works(second)).isTrue();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(unleash.works(first.secret())).as("the old token, once the grace is over").isFalse();
      assertThat(only(ns, "rot").secret()).isEqualTo(second);
    });
  }

  @Test
  void aReplacedTokenGetsAnUnleashExpiryAtTheEndOfItsGraceAsSoonAsItsSuccessorServes() {
    String ns = ns();
    h.create(RotationIT.withGrace(backendToken(ns, "overlap"), "1h"));
    h.awaitReason(ns, "overlap", "KeyReady");
    UnleashSimToken first = only(ns, "overlap");
    h.edit(ApiKey.class, ns, "overlap", k -> k.getSpec().unleash.projects = new ArrayList<>(List.of("*")));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ApiKey k = h.get(ns, "overlap");
      assertThat(k.getStatus().previousKeys).singleElement().satisfies(p -> {
        assertThat(p.name).isEqualTo(first.tokenName());
        UnleashSimToken old = unleash.tokens().stream().filter(t -> t.secret().equals(first.secret())).findFirst()
            .orElseThrow();
        assertThat(old.expiresAt()).as("the vendor-side expiry").isNotNull();
        assertThat(old.expiresAt().truncatedTo(ChronoUnit.SECONDS)).isEqualTo(Instant.parse(p.revokeAfter));
      });
    });
    assertThat(unleash.works(first.secret())).as("still inside its grace").isTrue();
    assertThat(OperatorHarness.value(h.secret(ns, "overlap"), "apiKey")).isNotEqualTo(first.secret());
    assertThat(h.client.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Expiring"));
  }

  @Test
  void expireAfterGivesEveryMintedTokenAVendorExpiry() {
    String ns = ns();
    ApiKey k = backendToken(ns, "dead-man");
    k.getSpec().rotation = new RotationSpec();
    k.getSpec().rotation.every = "720h";
    k.getSpec().rotation.gracePeriod = "1h";
    k.getSpec().unleash.expireAfter = "2160h";
    Instant before = Instant.now();
    h.create(k);
    h.awaitReason(ns, "dead-man", "KeyReady");
    Instant expiresAt = only(ns, "dead-man").expiresAt();
    assertThat(expiresAt).isBetween(before.plus(Duration.ofHours(2160)),
        Instant.now().plus(Duration.ofHours(2160)));
  }

  @Test
  void aLostCreateAnswerIsFoundAgainByNameWithoutAHuman() {
    String ns = ns();
    unleash.faults().setDropCreateResponses(1);
    h.create(backendToken(ns, "lost"));
    h.awaitReason(ns, "lost", "KeyReady");
    UnleashSimToken token = only(ns, "lost");
    assertThat(OperatorHarness.value(h.secret(ns, "lost"), "apiKey")).isEqualTo(token.secret());
    assertThat(h.client.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Recovered"));
  }

  @Test
  void anAdoptedTokenIsCheckedAndRevokedOnDeletionAndAForeignTokenIsNeverTouched() {
    String ns = ns();
    UnleashSimToken legacy = unleash.createOutside("legacy-checkout", "backend", "development", List.of("default"));
    UnleashSimToken foreign = unleash.createOutside("someone-elses", "backend", "development", List.of("default"));
    UnleashSimToken frontend = unleash.createOutside("legacy-web", "frontend", "development", List.of("default"));
    h.create(adopting(ns, "adopted", legacy.secret()));
    h.create(adopting(ns, "wrong-type", frontend.secret()));
    h.awaitReason(ns, "adopted", "KeyReady");
    assertThat(h.awaitReason(ns, "wrong-type", "InvalidSpec").getMessage())
        .contains("is a frontend token, but spec.unleash.type is backend").doesNotContain(frontend.secret());
    assertThat(OperatorHarness.value(h.secret(ns, "adopted"), "apiKey")).isEqualTo(legacy.secret());
    assertThat(tokens(ns, "adopted")).as("nothing minted").isEmpty();

    h.client.resource(h.get(ns, "adopted")).delete();
    h.awaitGone(ns, "adopted");
    assertThat(unleash.works(legacy.secret())).as("the adopted token is revoked like any other").isFalse();
    assertThat(unleash.works(foreign.secret())).as("a token the operator never held").isTrue();
    assertThat(unleash.works(frontend.secret())).as("refused for adoption, so never touched").isTrue();
  }

  static ApiKey adopting(String ns, String name, String value) {
    h.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name + "-legacy")
        .endMetadata().addToStringData("apiKey", value).build()).create();
    ApiKey k = backendToken(ns, name);
    k.getSpec().adopt = new AdoptSpec();
    k.getSpec().adopt.secretRef = new AdoptSpec.KeySecretRef();
    k.getSpec().adopt.secretRef.name = name + "-legacy";
    return k;
  }

  @Test
  void invalidSpecsAndPolicyAreRefusedBeforeAnyCall() {
    String ns = ns();
    h.editProvider(ns, UnleashKeys.PROVIDER, p -> {
      p.getSpec().policy = new ProviderPolicy();
      p.getSpec().policy.allowedUnleashTypes = new ArrayList<>(List.of(UnleashTokenType.backend));
      p.getSpec().policy.allowedProjects = new ArrayList<>(List.of("default"));
      p.getSpec().policy.allowedEnvironments = new ArrayList<>(List.of("development"));
    });
    ApiKey noProjects = backendToken(ns, "no-projects");
    noProjects.getSpec().unleash.projects = new ArrayList<>();
    ApiKey starAndMore = backendToken(ns, "star-and-more");
    starAndMore.getSpec().unleash.projects = new ArrayList<>(List.of("*", "default"));
    ApiKey expiryWithoutRotation = backendToken(ns, "no-rotation");
    expiryWithoutRotation.getSpec().unleash.expireAfter = "720h";
    ApiKey frontend = backendToken(ns, "frontend");
    frontend.getSpec().unleash.type = UnleashTokenType.frontend;
    ApiKey everyProject = backendToken(ns, "every-project");
    everyProject.getSpec().unleash.projects = new ArrayList<>(List.of("*"));
    ApiKey production = backendToken(ns, "production");
    production.getSpec().unleash.environment = "production";
    ApiKey fmeOnUnleash = OperatorHarness.serverSideKey(ns, "wrong-vendor");
    fmeOnUnleash.getSpec().providerRef.name = UnleashKeys.PROVIDER;
    int creates = unleash.createCount();
    List.of(noProjects, starAndMore, expiryWithoutRotation, frontend, everyProject, production, fmeOnUnleash)
        .forEach(h::create);
    assertThat(h.awaitReason(ns, "no-projects", "InvalidSpec").getMessage()).contains("spec.unleash.projects");
    assertThat(h.awaitReason(ns, "star-and-more", "InvalidSpec").getMessage()).contains("stands alone");
    assertThat(h.awaitReason(ns, "no-rotation", "InvalidSpec").getMessage())
        .contains("spec.unleash.expireAfter (720h) needs spec.rotation.every");
    assertThat(h.awaitReason(ns, "frontend", "PolicyDenied").getMessage())
        .contains("does not allow frontend tokens (policy.allowedUnleashTypes: backend)");
    assertThat(h.awaitReason(ns, "every-project", "PolicyDenied").getMessage())
        .contains("a token for every project (\"*\") is not allowed");
    assertThat(h.awaitReason(ns, "production", "PolicyDenied").getMessage())
        .contains("does not allow environment production");
    assertThat(h.awaitReason(ns, "wrong-vendor", "InvalidSpec").getMessage())
        .contains("is a unleash account, but the ApiKey gives spec.fme");
    assertThat(unleash.createCount()).isEqualTo(creates);
  }

  @Test
  void anUnknownProjectIsTheVendorsPermanentRefusal() {
    String ns = ns();
    ApiKey k = backendToken(ns, "nowhere");
    k.getSpec().unleash.projects = new ArrayList<>(List.of("no-such-project"));
    h.create(k);
    assertThat(h.awaitReason(ns, "nowhere", "VendorError").getMessage())
        .contains("Project=no-such-project does not exist");
    assertThat(tokens(ns, "nowhere")).isEmpty();
  }
}
