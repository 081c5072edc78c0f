package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.UnleashKeys.backendToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.SecretSpec;
import dev.apikeyoperator.api.v1alpha1.SecretTemplate;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.unleash.UnleashClient;
import dev.apikeyoperator.issuer.unleash.UnleashToken;
import dev.apikeyoperator.testkit.RealUnleashServer;
import dev.apikeyoperator.transport.VendorTransport;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.getunleash.DefaultUnleash;
import io.getunleash.FeatureDefinition;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.repository.HttpFeatureFetcher;
import io.getunleash.util.UnleashConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end against the real Unleash server with a real SDK: the Unleash Java client, configured from nothing but
 * the Secret the operator wrote, fetches the feature toggles; after a rotation the new token works and, once the
 * grace is over, the old one gets 401; after the ApiKey is deleted its token gets 401. The server caches tokens
 * (about 7 s after a delete, about 56 s past an expiry), so a refusal is awaited within a bound.
 */
class UnleashServerIT {
  /** The harness checks the FME and Statsig simulators' keys, none here: this class checks Unleash's tokens. */
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness().withoutLeakCheck();
  static final String TOGGLE = "checkout-redesign";
  static final Duration REFUSED_WITHIN = Duration.ofSeconds(120);
  static RealUnleashServer server;
  static UnleashClient admin;
  static final List<String> secretsSeen = new ArrayList<>();

  @BeforeAll
  static void startServerAndAToggle() throws Exception {
    server = RealUnleash.serverOrSkip();
    admin = new UnleashClient(VendorTransport.defaultHttpClient(null, null), server.baseUrl(),
        KeyValue.of(server.adminToken()));
    adminCall("POST", "/api/admin/projects/default/features", "{\"name\":\"" + TOGGLE + "\"}");
    adminCall("POST", "/api/admin/projects/default/features/" + TOGGLE + "/environments/development/on", "");
  }

  /** A call of the Admin API as a person would make it (the toggle an SDK is to see). */
  static void adminCall(String method, String path, String json) throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.baseUrl() + path)).header("Authorization", server.adminToken())
        .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as("%s %s: %s", method, path, answer.body()).isBetween(200, 299);
  }

  /** No token secret in logs, events, statuses or metrics. */
  @AfterAll
  static void noSecretLeaked() {
    if (server == null) {
      return; // skipped: no server here, so nothing ran
    }
    List<String> places = new ArrayList<>(CapturingAppender.lines());
    h.client.v1().events().inAnyNamespace().list().getItems()
        .forEach(e -> places.add(e.getReason() + " " + e.getMessage()));
    h.client.resources(ApiKey.class).inAnyNamespace().list().getItems()
        .forEach(k -> places.add(Serialization.asJson(k.getStatus())));
    places.add(h.metrics.scrape());
    assertThat(secretsSeen).isNotEmpty();
    for (String secret : secretsSeen) {
      assertThat(places).noneSatisfy(p -> assertThat(p).contains(secret));
    }
  }

  /** What the SDK's own fetcher gets with the URL and token of this Secret. */
  static ClientFeaturesResponse fetch(Secret secret) {
    return new HttpFeatureFetcher(sdkConfig(secret).build()).fetchFeatures();
  }

  static UnleashConfig.Builder sdkConfig(Secret secret) {
    String token = OperatorHarness.value(secret, "UNLEASH_API_TOKEN");
    secretsSeen.add(token);
    return UnleashConfig.builder().appName("checkout").instanceId("it")
        .unleashAPI(OperatorHarness.value(secret, "UNLEASH_URL")).apiKey(token).disableMetrics()
        .backupFile(Path.of("target", "unleash-sdk-backup-" + System.nanoTime() + ".json").toString());
  }

  @Test
  void anSdkConfiguredFromTheSecretWorksUntilRotationAndDeletionRevokeItsToken() {
    String ns = UnleashKeys.namespaceWithProvider(h, server.baseUrl(), server.adminToken());
    ApiKey k = RotationIT.withGrace(backendToken(ns, "checkout"), "5s");
    k.getSpec().secret = new SecretSpec();
    k.getSpec().secret.key = "UNLEASH_API_TOKEN";
    k.getSpec().secret.template = new SecretTemplate();
    k.getSpec().secret.template.data = new HashMap<>(Map.of("UNLEASH_URL", "{{serverUrl}}/api"));
    h.create(k);
    h.awaitReason(ns, "checkout", "KeyReady");
    Secret first = h.secret(ns, "checkout");
    String firstName = h.get(ns, "checkout").getStatus().key.name;
    assertThat(admin.listByName(firstName)).singleElement()
        .satisfies(t -> assertThat(t.secret().reveal()).isEqualTo(OperatorHarness.value(first, "UNLEASH_API_TOKEN")));

    DefaultUnleash sdk = new DefaultUnleash(sdkConfig(first).synchronousFetchOnInitialisation(true).build());
    try {
      assertThat(sdk.isEnabled(TOGGLE)).as("the SDK fetched the toggles with the Secret's URL and token").isTrue();
    } finally {
      sdk.shutdown();
    }

    h.edit(ApiKey.class, ns, "checkout", a -> a.getMetadata().setAnnotations(new HashMap<>(Map.of(
        "apikeyoperator.dev/rotate-requested-at", "now"))));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(OperatorHarness.value(
        h.secret(ns, "checkout"), "UNLEASH_API_TOKEN")).isNotEqualTo(OperatorHarness.value(first,
        "UNLEASH_API_TOKEN")));
    Secret second = h.secret(ns, "checkout");
    ClientFeaturesResponse fresh = fetch(second);
    assertThat(fresh.getHttpStatusCode()).as("the new token works").isEqualTo(200);
    assertThat(fresh.getFeatures()).extracting(FeatureDefinition::getName).contains(TOGGLE);

    await().atMost(REFUSED_WITHIN).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(fetch(first).getHttpStatusCode()).as("the old token once its grace is over").isEqualTo(401));
    assertThat(admin.listByName(firstName)).as("deleted at Unleash when its grace was over").isEmpty();
    assertThat(fetch(second).getHttpStatusCode()).isEqualTo(200);

    h.client.resource(h.get(ns, "checkout")).delete();
    h.awaitGone(ns, "checkout");
    await().atMost(REFUSED_WITHIN).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(fetch(second).getHttpStatusCode()).as("the token of the deleted ApiKey").isEqualTo(401));
  }

  @Test
  void aReplacedTokenCarriesItsUnleashExpiryDuringItsGrace() {
    String ns = UnleashKeys.namespaceWithProvider(h, server.baseUrl(), server.adminToken());
    ApiKey k = RotationIT.withGrace(backendToken(ns, "overlap"), "1h");
    h.create(k);
    h.awaitReason(ns, "overlap", "KeyReady");
    String firstName = h.get(ns, "overlap").getStatus().key.name;
    secretsSeen.add(OperatorHarness.value(h.secret(ns, "overlap"), "apiKey"));
    h.edit(ApiKey.class, ns, "overlap", a -> a.getSpec().unleash.environment = "production");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      ApiKey now = h.get(ns, "overlap");
      assertThat(now.getStatus().previousKeys).singleElement().satisfies(p -> {
        UnleashToken old = admin.listByName(firstName).get(0);
        assertThat(old.expiresAt()).isNotNull();
        assertThat(old.expiresAt().truncatedTo(ChronoUnit.SECONDS)).isEqualTo(Instant.parse(p.revokeAfter));
      });
    });
    secretsSeen.add(OperatorHarness.value(h.secret(ns, "overlap"), "apiKey"));
    assertThat(admin.listAll()).filteredOn(t -> t.tokenName().startsWith(ns + "-overlap-"))
        .extracting(UnleashToken::environment).containsExactlyInAnyOrder("development", "production");
  }
}
