package dev.apikeyoperator.provider;

import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.status.ProviderReason;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which endpoints a provider may call (docs/concepts/providers-and-policy.md). Credentials never travel in the
 * clear: http:// is allowed only to loopback hosts, or on a ClusterApiKeyProvider that sets allowInsecureHttp (a
 * namespaced provider's tenant controls that field, so it is ignored there). A namespaced provider may only call the
 * operator's vendor hosts (and loopback): its tenant must not be able to point the operator, with the credential it
 * sends, at cluster services or link-local addresses. Decided on the URL's text alone, before any DNS lookup.
 */
public final class Endpoints {
  /** The vendors' documented API hosts (docs/integrations/vendor-apis.md). */
  public static final Set<String> DEFAULT_VENDOR_HOSTS =
      Set.of("api.split.io", "app.harness.io", "statsigapi.net", "api.statsig.com", "app.launchdarkly.com",
          "app.eu.launchdarkly.com", "app.launchdarkly.us");

  private final Set<String> vendorHosts;

  public Endpoints(Set<String> vendorHosts) {
    this.vendorHosts = vendorHosts.stream().map(Endpoints::normalized).collect(Collectors.toUnmodifiableSet());
  }

  /** Why the provider's base URL may not be used, or empty when it may. */
  public Optional<ProviderProblem> problem(Provider provider) {
    ProviderSpec spec = provider.spec();
    String displayName = provider.displayName();
    if (provider.vendor().isEmpty()) {
      return insecure(displayName + " names no vendor: give spec.fme, spec.statsig, spec.launchDarkly or "
          + "spec.unleash");
    }
    String baseUrl = provider.baseUrl();
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      return insecure(displayName + " has an unusable baseUrl: give an https:// URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || uri.getRawUserInfo() != null || !(scheme.equals("https") || scheme.equals("http"))) {
      return insecure(displayName + " has an unusable baseUrl: give an https:// URL with a host and no user info");
    }
    String host = normalized(uri.getHost());
    boolean loopback = isLoopback(host);
    boolean namespaced = provider.kind() == ProviderRef.Kind.ApiKeyProvider;
    if (namespaced && !loopback && !vendorHosts.contains(host)) {
      return Optional.of(new ProviderProblem(ProviderReason.EndpointNotAllowed, displayName + " may only call the vendor hosts "
          + "this operator allows (" + String.join(", ", new TreeSet<>(vendorHosts)) + "), not " + host + ". Use the "
          + "vendor's default baseUrl, or ask a cluster admin for a ClusterApiKeyProvider or to add the host to the "
          + "operator's VENDOR_HOSTS"));
    }
    Set<String> own = provider.vendor().get().hosts();
    if (namespaced && !loopback && !own.isEmpty() && !own.contains(host) && DEFAULT_VENDOR_HOSTS.contains(host)) {
      // Another vendor's API host: the tenant's credential would be sent to the wrong vendor.
      return Optional.of(new ProviderProblem(ProviderReason.EndpointNotAllowed, displayName + " may only call its "
          + "vendor's hosts (" + String.join(", ", new TreeSet<>(own)) + "), not " + host + ", another vendor's"));
    }
    if (scheme.equals("http") && !loopback && !(spec.allowInsecureHttp && !namespaced)) {
      return insecure(displayName + " refuses http://" + host + ": credentials would travel in the clear. Use "
          + "https://" + (namespaced ? " (spec.allowInsecureHttp is honoured on ClusterApiKeyProviders only)"
          : ", or set spec.allowInsecureHttp: true if you accept that risk"));
    }
    return Optional.empty();
  }

  private static Optional<ProviderProblem> insecure(String message) {
    return Optional.of(new ProviderProblem(ProviderReason.InsecureEndpoint, message));
  }

  private static String normalized(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  static boolean isLoopback(String host) {
    String h = normalized(host);
    return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
