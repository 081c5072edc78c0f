package dev.apikeyoperator.issuer.unleash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.api.v1alpha1.UnleashKeySpec;
import dev.apikeyoperator.api.v1alpha1.UnleashProviderSpec;
import dev.apikeyoperator.api.v1alpha1.UnleashTokenType;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.provider.Endpoints;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.status.ProviderReason;
import dev.apikeyoperator.transport.VendorTransport;
import dev.apikeyoperator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Unleash request building, answer parsing, validation and policy: no real server. */
class UnleashIssuerTest {
  private static final String SECRET = "default:development.e331441460a6ed713c662952ee198fca67d7650d07411133ade79ab0";
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  static ApiKeySpec spec() {
    ApiKeySpec spec = new ApiKeySpec();
    spec.providerRef = new ProviderRef();
    spec.providerRef.name = "unleash";
    spec.unleash = new UnleashKeySpec();
    spec.unleash.type = UnleashTokenType.backend;
    spec.unleash.environment = "production";
    spec.unleash.projects = new ArrayList<>(List.of("web", "checkout"));
    return spec;
  }

  static List<String> problems(ApiKeySpec spec) {
    ApiKey k = new ApiKey();
    k.setMetadata(new ObjectMeta());
    k.getMetadata().setName("k");
    k.getMetadata().setNamespace("shop");
    k.setSpec(spec);
    return SpecValidator.validate(k);
  }

  static Provider provider(ProviderPolicy policy) {
    ApiKeyProviderSpec spec = new ApiKeyProviderSpec();
    spec.unleash = new UnleashProviderSpec();
    spec.unleash.baseUrl = "https://unleash.example.com";
    spec.policy = policy;
    return new Provider(ProviderRef.Kind.ApiKeyProvider, "unleash", "shop", "uid", spec, null);
  }

  @Test
  void theIdentityIsTypeEnvironmentAndProjectsInAnyOrder() {
    ApiKeySpec reordered = spec();
    reordered.unleash.projects = new ArrayList<>(List.of("checkout", "web", "web"));
    assertThat(UnleashVendor.INSTANCE.specIdentity(spec()))
        .isEqualTo("unleash;type=backend;environment=production;projects=checkout,web")
        .isEqualTo(UnleashVendor.INSTANCE.specIdentity(reordered));
    assertThat(UnleashVendor.INSTANCE.settings(spec())).isEmpty();
    assertThat(UnleashVendor.INSTANCE.capabilities().expiresKeys()).isTrue();
    assertThat(UnleashVendor.INSTANCE.capabilities().findsLostKeys()).isTrue();
  }

  @Test
  void theCreateRequestNamesTheTokenAndCarriesTheExpiryOnlyWhenAsked() throws Exception {
    UnleashKeySpec s = spec().unleash;
    UnleashTokenRequest plain = UnleashIssuer.request(s, "shop-checkout-abc123", NOW);
    assertThat(new ObjectMapper().readTree(UnleashClient.createBody(plain))).isEqualTo(new ObjectMapper().readTree(
        "{\"tokenName\":\"shop-checkout-abc123\",\"type\":\"backend\",\"environment\":\"production\","
            + "\"projects\":[\"web\",\"checkout\"]}"));
    s.expireAfter = "2160h";
    UnleashTokenRequest expiring = UnleashIssuer.request(s, "n", NOW);
    assertThat(new ObjectMapper().readTree(UnleashClient.createBody(expiring)).get("expiresAt").asText())
        .isEqualTo("2027-03-06T12:00:00Z");
  }

  @Test
  void theAnswerIsReadAsUnleashWritesIt() throws Exception {
    UnleashToken listed = UnleashClient.toToken(new ObjectMapper().readTree("{\"secret\":\"" + SECRET + "\","
        + "\"tokenName\":\"t\",\"type\":\"client\",\"project\":\"default\",\"environment\":\"development\","
        + "\"expiresAt\":\"2027-02-01T00:00:00.000Z\"}"));
    assertThat(listed.type()).isEqualTo("backend");
    assertThat(listed.projects()).containsExactly("default");
    assertThat(listed.expiresAt()).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
    assertThat(listed.toString()).doesNotContain(SECRET);
    UnleashToken secure = UnleashClient.toToken(new ObjectMapper().readTree("{\"tokenName\":\"t\",\"type\":"
        + "\"frontend\",\"projects\":[\"a\",\"b\"],\"environment\":\"development\"}"));
    assertThat(secure.secret()).as("a secure token: its secret is not shown again").isNull();
    assertThat(UnleashClient.toToken(new ObjectMapper().readTree("{\"secret\":\"x\"}"))).as("no name").isNull();
  }

  @Test
  void expiryAndDeleteGoToTheSecretsPathAndAFailureNeverQuotesIt() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setResponseCode(200));
      server.enqueue(new MockResponse().setResponseCode(200));
      server.enqueue(new MockResponse().setResponseCode(500).setBody("{\"message\":\"oops " + SECRET + "\"}"));
      UnleashIssuer issuer = new UnleashIssuer(new UnleashClient(VendorTransport.defaultHttpClient(null, null),
          server.url("/").toString(), KeyValue.of("*:*.admin")), Clock.fixed(NOW, ZoneOffset.UTC));
      LedgerKey key = new LedgerKey("n", null, KeyValue.of(SECRET), NOW, "i", "i", "", null);
      issuer.expire(key, Instant.parse("2026-12-06T13:00:00Z"));
      RecordedRequest put = server.takeRequest(2, TimeUnit.SECONDS);
      assertThat(put.getMethod()).isEqualTo("PUT");
      assertThat(put.getRequestUrl().pathSegments()).containsExactly("api", "admin", "api-tokens", SECRET);
      assertThat(put.getHeader("Authorization")).isEqualTo("*:*.admin");
      assertThat(put.getBody().readUtf8()).isEqualTo("{\"expiresAt\":\"2026-12-06T13:00:00Z\"}");
      issuer.revoke(key);
      RecordedRequest delete = server.takeRequest(2, TimeUnit.SECONDS);
      assertThat(delete.getMethod()).isEqualTo("DELETE");
      assertThat(delete.getRequestUrl().pathSegments()).containsExactly("api", "admin", "api-tokens", SECRET);
      assertThatThrownBy(() -> issuer.revoke(key)).isInstanceOf(VendorErrorException.class)
          .hasMessageContaining("Unleash delete token failed with HTTP 500").hasMessageNotContaining(SECRET)
          .hasMessageNotContaining("e331441460a6ed713c662952ee198fca67d7650d07411133ade79ab0");
    }
  }

  @Test
  void aLostCreateWhoseSecretIsNotShownAgainIsReportedNotIgnored() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"tokens\":[{\"tokenName\":\"n\","
          + "\"type\":\"client\",\"projects\":[\"default\"],\"environment\":\"development\",\"secure\":true}]}"));
      server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"tokens\":[{\"tokenName\":\"other\","
          + "\"secret\":\"" + SECRET + "\",\"type\":\"client\",\"projects\":[\"default\"],\"environment\":\"d\"}]}"));
      UnleashIssuer issuer = new UnleashIssuer(new UnleashClient(VendorTransport.defaultHttpClient(null, null),
          server.url("/").toString(), KeyValue.of("*:*.admin")), Clock.fixed(NOW, ZoneOffset.UTC));
      assertThatThrownBy(() -> issuer.findLost("n", null)).isInstanceOf(VendorErrorException.class)
          .hasMessageContaining("does not show its secret again: delete that token in Unleash");
      assertThat(issuer.findLost("n", null)).as("only a token of that very name counts").isEmpty();
      assertThat(server.takeRequest().getRequestUrl().pathSegments())
          .containsExactly("api", "admin", "api-tokens", "n");
    }
  }

  @Test
  void validationSaysWhatToChange() {
    assertThat(problems(spec())).isEmpty();
    ApiKeySpec bad = spec();
    bad.unleash.type = null;
    bad.unleash.environment = "*";
    bad.unleash.projects = new ArrayList<>(List.of("*", "web"));
    assertThat(problems(bad)).contains("spec.unleash.type is missing: use backend or frontend",
        "spec.unleash.environment must name one environment: Unleash gives \"*\" to admin tokens only",
        "spec.unleash.projects: \"*\" (every project) stands alone: remove either it or the other names");
    ApiKeySpec empty = spec();
    empty.unleash.environment = " ";
    empty.unleash.projects = new ArrayList<>();
    assertThat(String.join("\n", problems(empty))).contains("spec.unleash.environment is missing")
        .contains("spec.unleash.projects");
  }

  @Test
  void expireAfterMustOutliveTheRotationAndItsGrace() {
    ApiKeySpec noRotation = spec();
    noRotation.unleash.expireAfter = "720h";
    assertThat(problems(noRotation)).anySatisfy(p -> assertThat(p).contains("needs spec.rotation.every"));
    ApiKeySpec tooShort = spec();
    tooShort.unleash.expireAfter = "720h";
    tooShort.rotation = new RotationSpec();
    tooShort.rotation.every = "720h";
    tooShort.rotation.gracePeriod = "1h";
    assertThat(problems(tooShort)).anySatisfy(p -> assertThat(p).contains("must be at least spec.rotation.every "
        + "(720h) plus the grace period (1h)"));
    tooShort.unleash.expireAfter = "721h";
    assertThat(problems(tooShort)).isEmpty();
    tooShort.unleash.expireAfter = "soon";
    assertThat(problems(tooShort)).anySatisfy(p -> assertThat(p).startsWith("spec.unleash.expireAfter: "));
    tooShort.unleash.expireAfter = "30s";
    assertThat(problems(tooShort)).anySatisfy(p -> assertThat(p).contains("is too short"));
  }

  @Test
  void aNamespacedProviderMayCallAnUnleashHostOnlyWhenVendorHostsNamesIt() {
    Provider namespaced = provider(null);
    assertThat(new Endpoints(Endpoints.DEFAULT_VENDOR_HOSTS).problem(namespaced)).hasValueSatisfying(p -> {
      assertThat(p.reason()).isEqualTo(ProviderReason.EndpointNotAllowed);
      assertThat(p.getMessage()).contains("not unleash.example.com").contains("VENDOR_HOSTS");
    });
    assertThat(new Endpoints(Set.of("unleash.example.com")).problem(namespaced)).isEmpty();
    Provider cluster = new Provider(ProviderRef.Kind.ClusterApiKeyProvider, "unleash", null, "uid",
        namespaced.spec(), null);
    assertThat(new Endpoints(Endpoints.DEFAULT_VENDOR_HOSTS).problem(cluster)).as("a ClusterApiKeyProvider")
        .isEmpty();
  }

  @Test
  void policyDecidesTypesProjectsAndEnvironments() {
    assertThat(UnleashVendor.INSTANCE.checkRequest(provider(null), spec())).isEmpty();
    ApiKeySpec everything = spec();
    everything.unleash.projects = new ArrayList<>(List.of("*"));
    everything.unleash.type = UnleashTokenType.frontend;
    assertThat(UnleashVendor.INSTANCE.checkRequest(provider(null), everything)).as("the default policy").isEmpty();

    ProviderPolicy policy = new ProviderPolicy();
    policy.allowedUnleashTypes = new ArrayList<>(List.of(UnleashTokenType.backend));
    policy.allowedProjects = new ArrayList<>(List.of("web", "checkout"));
    policy.allowedEnvironments = new ArrayList<>(List.of("production"));
    assertThat(UnleashVendor.INSTANCE.checkRequest(provider(policy), spec())).isEmpty();
    assertThat(UnleashVendor.INSTANCE.checkRequest(provider(policy), everything)).hasValueSatisfying(m ->
        assertThat(m).contains("does not allow frontend tokens (policy.allowedUnleashTypes: backend)"));
    everything.unleash.type = UnleashTokenType.backend;
    assertThat(UnleashVendor.INSTANCE.checkRequest(provider(policy), everything)).hasValueSatisfying(m ->
        assertThat(m).contains("a token for every project (\"*\") is not allowed"));
    ApiKeySpec other = spec();
    other.unleash.projects = new ArrayList<>(List.of("web", "billing"));
    assertThat(UnleashVendor.INSTANCE.checkRequest(provider(policy), other)).hasValueSatisfying(m ->
        assertThat(m).contains("does not allow project billing (policy.allowedProjects: web, checkout)"));
    ApiKeySpec staging = spec();
    staging.unleash.environment = "staging";
    assertThat(UnleashVendor.INSTANCE.checkRequest(provider(policy), staging)).hasValueSatisfying(m ->
        assertThat(m).contains("does not allow environment staging (policy.allowedEnvironments: production)"));
  }
}
