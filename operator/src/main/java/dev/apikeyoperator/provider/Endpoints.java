package dev.apikeyoperator.provider;

import dev.apikeyoperator.customresource.ProviderSpec;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/** Credentials never travel in the clear: http:// is allowed only to loopback hosts or when explicitly allowed. */
public final class Endpoints {
  private Endpoints() {}

  /** A plain-words problem with the provider's base URL, or empty when it may be used. */
  public static Optional<String> problem(Provider provider) {
    ProviderSpec spec = provider.spec();
    String displayName = provider.displayName();
    if (provider.vendor().isEmpty()) {
      return Optional.of(displayName + " names no vendor: give spec.fme or spec.statsig");
    }
    String baseUrl = provider.baseUrl();
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      return Optional.of(displayName + " has an unusable baseUrl '" + baseUrl + "': give an https:// URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      return Optional.of(displayName + " has an unusable baseUrl '" + baseUrl + "': give an https:// URL");
    }
    if (scheme.equals("http") && !spec.allowInsecureHttp && !isLoopback(uri.getHost())) {
      return Optional.of(displayName + " refuses http://" + uri.getHost() + ": credentials would travel in the "
          + "clear. Use https://, or set spec.allowInsecureHttp: true if you accept that risk");
    }
    return Optional.empty();
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
