package dev.apikeyoperator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.FmeProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.api.v1alpha1.StatsigProviderSpec;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.status.ProviderReason;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which base URLs each kind of provider may call (docs/concepts/providers-and-policy.md). */
class EndpointsTest {
  private final Endpoints endpoints = new Endpoints(Endpoints.DEFAULT_VENDOR_HOSTS);

  private static Provider fme(ProviderRef.Kind kind, String baseUrl, boolean allowInsecureHttp) {
    ProviderSpec spec = new ProviderSpec();
    spec.fme = new FmeProviderSpec();
    spec.fme.baseUrl = baseUrl;
    spec.allowInsecureHttp = allowInsecureHttp;
    return new Provider(kind, "p", kind == ProviderRef.Kind.ApiKeyProvider ? "shop" : null, "uid", spec, null);
  }

  private Optional<String> reason(ProviderRef.Kind kind, String baseUrl, boolean allowInsecureHttp) {
    return endpoints.problem(fme(kind, baseUrl, allowInsecureHttp)).map(p -> p.reason().name());
  }

  @Test
  void namespacedProvidersCallOnlyVendorHostsAndLoopback() {
    var ns = ProviderRef.Kind.ApiKeyProvider;
    assertThat(reason(ns, null, false)).isEmpty(); // the default, api.split.io
    assertThat(reason(ns, "https://app.harness.io/fme/internal/api/v2", false)).isEmpty();
    assertThat(reason(ns, "https://API.SPLIT.IO./internal/api/v2", false)).isEmpty();
    assertThat(reason(ns, "http://127.0.0.1:8090/internal/api/v2", false)).isEmpty();
    for (String url : new String[] {"https://kubernetes.default.svc/api", "https://169.254.169.254/latest",
        "https://10.0.0.1/x", "https://api.split.io.evil.example/x", "https://metadata.google.internal/",
        "https://[fd00::1]/x"}) {
      assertThat(reason(ns, url, false)).as(url).contains("EndpointNotAllowed");
    }
    assertThat(endpoints.problem(fme(ns, "https://10.0.0.1/x", false)).orElseThrow().getMessage())
        .contains("api.split.io, api.statsig.com, app.eu.launchdarkly.com, app.harness.io, app.launchdarkly.com, "
            + "app.launchdarkly.us, statsigapi.net").contains("VENDOR_HOSTS");
  }

  @Test
  void aNamespacedLaunchDarklyProviderReachesOnlyTheLaunchDarklyHostsAndLoopback() {
    var ns = ProviderRef.Kind.ApiKeyProvider;
    for (String url : new String[] {null, "https://app.launchdarkly.com", "https://app.eu.launchdarkly.com",
        "https://app.launchdarkly.us", "http://127.0.0.1:8092"}) {
      assertThat(endpoints.problem(launchDarkly(ns, url))).as(String.valueOf(url)).isEmpty();
    }
    for (String url : new String[] {"https://app.launchdarkly.com.evil.example", "https://10.0.0.1",
        "https://launchdarkly.internal", "http://app.launchdarkly.com"}) {
      assertThat(endpoints.problem(launchDarkly(ns, url))).as(url).isPresent();
    }
    assertThat(endpoints.problem(launchDarkly(ns, "https://10.0.0.1")).orElseThrow().reason())
        .isEqualTo(ProviderReason.EndpointNotAllowed);
    // Not another vendor's host either (the token would go to the wrong vendor)...
    assertThat(endpoints.problem(launchDarkly(ns, "https://api.split.io")).orElseThrow().getMessage())
        .contains("may only call its vendor's hosts (app.eu.launchdarkly.com, app.launchdarkly.com, "
            + "app.launchdarkly.us), not api.split.io");
    // ...but a host the administrator added (a relay, say) is open to it.
    Endpoints withRelay = new Endpoints(java.util.Set.of("ld-relay.corp.example", "statsigapi.net"));
    assertThat(withRelay.problem(launchDarkly(ns, "https://ld-relay.corp.example"))).isEmpty();
    // A cluster provider may name any host.
    assertThat(endpoints.problem(launchDarkly(ProviderRef.Kind.ClusterApiKeyProvider, "https://api.split.io")))
        .isEmpty();
  }

  private static Provider launchDarkly(ProviderRef.Kind kind, String baseUrl) {
    dev.apikeyoperator.api.v1alpha1.ProviderSpec spec = new dev.apikeyoperator.api.v1alpha1.ProviderSpec();
    spec.launchDarkly = new dev.apikeyoperator.api.v1alpha1.LaunchDarklyProviderSpec();
    spec.launchDarkly.baseUrl = baseUrl;
    return new Provider(kind, "p", kind == ProviderRef.Kind.ApiKeyProvider ? "shop" : null, "uid", spec, null);
  }

  @Test
  void allowInsecureHttpIsIgnoredOnNamespacedProviders() {
    ProviderRef.Kind ns = ProviderRef.Kind.ApiKeyProvider;
    Endpoints withInternal = new Endpoints(java.util.Set.of("fme.internal.example"));
    Provider p = fme(ns, "http://fme.internal.example/internal/api/v2", true);
    assertThat(withInternal.problem(p)).get().satisfies(problem -> {
      assertThat(problem.reason()).isEqualTo(ProviderReason.InsecureEndpoint);
      assertThat(problem.getMessage()).contains("honoured on ClusterApiKeyProviders only");
    });
  }

  @Test
  void clusterProvidersMayNameAnyHostAndAllowHttp() {
    var cluster = ProviderRef.Kind.ClusterApiKeyProvider;
    assertThat(reason(cluster, "https://fme-proxy.corp.example/internal/api/v2", false)).isEmpty();
    assertThat(reason(cluster, "http://fme-proxy.corp.example/internal/api/v2", false)).contains("InsecureEndpoint");
    assertThat(reason(cluster, "http://fme-proxy.corp.example/internal/api/v2", true)).isEmpty();
  }

  @Test
  void unusableUrlsAreRefused() {
    var cluster = ProviderRef.Kind.ClusterApiKeyProvider;
    assertThat(reason(cluster, "ftp://api.split.io/x", false)).contains("InsecureEndpoint");
    assertThat(reason(cluster, "https://user:pw@api.split.io/x", false)).contains("InsecureEndpoint");
    assertThat(reason(cluster, "not a url", false)).contains("InsecureEndpoint");
    assertThat(endpoints.problem(fme(cluster, "https://user:secret@api.split.io/x", false)).orElseThrow()
        .getMessage()).doesNotContain("secret");
  }

  @Test
  void statsigHostsToo() {
    ProviderSpec spec = new ProviderSpec();
    spec.statsig = new StatsigProviderSpec();
    spec.statsig.baseUrl = "https://api.statsig.com/console/v1";
    Provider p = new Provider(ProviderRef.Kind.ApiKeyProvider, "s", "shop", "uid", spec, null);
    assertThat(endpoints.problem(p)).isEmpty();
  }
}
