package dev.apikeyoperator.issuer.statsig;

import dev.apikeyoperator.api.v1alpha1.GoDuration;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.api.v1alpha1.RateLimitSpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeySpec;
import dev.apikeyoperator.api.v1alpha1.StatsigProviderSpec;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;

/** Statsig (Console API): keys can be listed, read back, updated in place, rotated and deactivated. */
public final class StatsigVendor implements Vendor {
  public static final StatsigVendor INSTANCE = new StatsigVendor();
  /** Room left in Statsig's 1000-character description for the operator's " (<key name>)" marker. */
  public static final int MAX_DESCRIPTION = 900;
  private static final Capabilities CAPABILITIES = new Capabilities(true, true, true, true, true, false);

  private StatsigVendor() {}

  @Override
  public String name() {
    return "statsig";
  }

  @Override
  public boolean accountOf(ProviderSpec spec) {
    return spec.statsig != null;
  }

  @Override
  public boolean keyOf(ApiKeySpec spec) {
    return spec.statsig != null;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public CredentialsSecretRef credentialsRef(ProviderSpec spec) {
    return spec.statsig.credentials == null ? null : spec.statsig.credentials.secretRef;
  }

  @Override
  public String baseUrl(ProviderSpec spec) {
    return spec.statsig.baseUrlOrDefault();
  }

  /**
   * Statsig allows about 1 800 attempts per 15 minutes per project, refused ones included, with no Retry-After, plus
   * 100 per 10 s (docs/integrations/vendor-apis.md): bouncing off it makes it worse, so calls are paced below it from the start.
   * A token bucket of rate r and burst b lets at most b + r * t calls through in any t: 20 + 1.5 * 900 = 1 370 per
   * 15 minutes (the rest is left to the project's other console keys) and 20 + 1.5 * 10 = 35 per 10 s.
   */
  public static final double DEFAULT_REQUESTS_PER_SECOND = 1.5;
  public static final int DEFAULT_BURST = 20;

  @Override
  public RateLimitSpec defaultRateLimit() {
    RateLimitSpec pace = new RateLimitSpec();
    pace.requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
    pace.burst = DEFAULT_BURST;
    return pace;
  }

  @Override
  public Duration readBackInterval(ProviderSpec spec) {
    return GoDuration.parse(spec.statsig.readBackInterval == null
        ? StatsigProviderSpec.DEFAULT_READ_BACK_INTERVAL : spec.statsig.readBackInterval);
  }

  @Override
  public void validate(ApiKeySpec spec, List<String> problems) {
    StatsigKeySpec statsig = spec.statsig;
    if (statsig.type == null) {
      problems.add("spec.statsig.type is missing: use SERVER, CLIENT or CONSOLE");
    }
    if (statsig.description == null || statsig.description.isBlank()) {
      problems.add("spec.statsig.description is missing: Statsig requires a description");
    } else if (statsig.description.length() > MAX_DESCRIPTION) {
      problems.add("spec.statsig.description has " + statsig.description.length() + " characters: use at most "
          + MAX_DESCRIPTION + " (Statsig allows 1000 and the operator appends the key's name)");
    }
  }

  @Override
  public Optional<String> checkRequest(Provider provider, ApiKeySpec spec) {
    return StatsigPolicy.check(provider, spec.statsig);
  }

  @Override
  public String specIdentity(ApiKeySpec spec) {
    return "statsig;type=" + spec.statsig.type;
  }

  /** Description, scopes, environments and target apps: all updated in place on a live key. */
  @Override
  public String settings(ApiKeySpec spec) {
    StatsigKeySpec s = spec.statsig;
    return "description=" + s.description + ";scopes=" + sorted(s.scopes) + ";environments=" + sorted(s.environments)
        + ";targetApp=" + (s.targetApp == null ? "" : s.targetApp) + ";secondaryTargetApps="
        + sorted(s.secondaryTargetApps);
  }

  private static String sorted(List<String> values) {
    return values == null ? "" : values.stream().sorted().collect(Collectors.joining(","));
  }

  @Override
  public Connector connector(OkHttpClient http, Clock clock, Duration directoryTtl) {
    return (provider, credential) -> new StatsigIssuer(new StatsigClient(http,
        new StatsigEndpoint(provider.baseUrl(), credential)), clock);
  }
}
