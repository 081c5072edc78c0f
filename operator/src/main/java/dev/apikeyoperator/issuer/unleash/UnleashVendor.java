package dev.apikeyoperator.issuer.unleash;

import dev.apikeyoperator.api.v1alpha1.GoDuration;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.CredentialsSecretRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.api.v1alpha1.UnleashKeySpec;
import dev.apikeyoperator.issuer.Capabilities;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;

/**
 * Unleash (Admin API): tokens are listed by name (a lost create is found again) and can be given an expiry (a
 * replaced token dies on time at the vendor), but cannot be read back cheaply, changed, rotated or deactivated.
 */
public final class UnleashVendor implements Vendor {
  public static final UnleashVendor INSTANCE = new UnleashVendor();
  /** Shorter than this, a token would expire before a rotation could reasonably be scheduled and served. */
  static final Duration MIN_EXPIRE_AFTER = Duration.ofMinutes(1);
  private static final Capabilities CAPABILITIES = new Capabilities(true, false, false, false, false, true);

  private UnleashVendor() {}

  @Override
  public String name() {
    return "unleash";
  }

  @Override
  public boolean accountOf(ProviderSpec spec) {
    return spec.unleash != null;
  }

  @Override
  public boolean keyOf(ApiKeySpec spec) {
    return spec.unleash != null;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public CredentialsSecretRef credentialsRef(ProviderSpec spec) {
    return spec.unleash.credentials == null ? null : spec.unleash.credentials.secretRef;
  }

  /** The server's root, as given: Unleash has no default host. */
  @Override
  public String baseUrl(ProviderSpec spec) {
    return spec.unleash.baseUrl == null ? "" : spec.unleash.baseUrl;
  }

  @Override
  public String serverUrl(ProviderSpec spec) {
    return baseUrl(spec);
  }

  @Override
  public void validate(ApiKeySpec spec, List<String> problems) {
    UnleashKeySpec unleash = spec.unleash;
    if (unleash.type == null) {
      problems.add("spec.unleash.type is missing: use backend or frontend");
    }
    if (unleash.environment == null || unleash.environment.isBlank()) {
      problems.add("spec.unleash.environment is missing: name the Unleash environment the token reads, e.g. "
          + "production");
    } else if (unleash.environment.equals("*")) {
      problems.add("spec.unleash.environment must name one environment: Unleash gives \"*\" to admin tokens only");
    }
    List<String> projects = unleash.projects == null ? List.of() : unleash.projects;
    if (projects.isEmpty()) {
      problems.add("spec.unleash.projects is empty: name at least one project (e.g. default), or [\"*\"] for every "
          + "project");
    } else if (projects.stream().anyMatch(p -> p == null || p.isBlank())) {
      problems.add("spec.unleash.projects has an empty name: remove it");
    } else if (projects.contains(UnleashPolicy.ALL_PROJECTS) && projects.size() > 1) {
      problems.add("spec.unleash.projects: \"*\" (every project) stands alone: remove either it or the other names");
    }
    if (unleash.expireAfter != null) {
      validateExpireAfter(spec, unleash.expireAfter, problems);
    }
  }

  /**
   * A token's vendor expiry must come after its planned replacement and the grace of the replaced key, or it would
   * die while it still serves.
   */
  private static void validateExpireAfter(ApiKeySpec spec, String expireAfter, List<String> problems) {
    Duration expiry;
    try {
      expiry = GoDuration.parse(expireAfter);
    } catch (IllegalArgumentException e) {
      problems.add("spec.unleash.expireAfter: " + e.getMessage());
      return;
    }
    if (expiry.compareTo(MIN_EXPIRE_AFTER) < 0) {
      problems.add("spec.unleash.expireAfter '" + expireAfter + "' is too short: use at least "
          + MIN_EXPIRE_AFTER.toSeconds() + "s");
      return;
    }
    RotationSpec rotation = spec.rotation;
    if (rotation == null || rotation.every == null) {
      problems.add("spec.unleash.expireAfter (" + expireAfter + ") needs spec.rotation.every: without a scheduled "
          + "rotation the token would expire while it is the one in the Secret");
      return;
    }
    String grace = rotation.gracePeriod == null ? RotationSpec.DEFAULT_GRACE_PERIOD : rotation.gracePeriod;
    try {
      Duration needed = GoDuration.parse(rotation.every).plus(GoDuration.parse(grace));
      if (needed.compareTo(expiry) > 0) {
        problems.add("spec.unleash.expireAfter (" + expireAfter + ") must be at least spec.rotation.every ("
            + rotation.every + ") plus the grace period (" + grace + "): a token must outlive its replacement and "
            + "the grace; lengthen expireAfter or rotate sooner");
      }
    } catch (IllegalArgumentException e) {
      // reported by the rotation checks
    }
  }

  @Override
  public Optional<String> checkRequest(Provider provider, ApiKeySpec spec) {
    UnleashKeySpec u = spec.unleash;
    return UnleashPolicy.check(provider, u.type, u.projects == null ? List.of() : u.projects, u.environment);
  }

  /** Type, environment and projects: Unleash cannot change any of them on a live token. */
  @Override
  public String specIdentity(ApiKeySpec spec) {
    UnleashKeySpec u = spec.unleash;
    return "unleash;type=" + u.type + ";environment=" + u.environment + ";projects=" + sorted(u.projects);
  }

  /** Nothing is updated in place (the expiry of new tokens follows expireAfter, the live one keeps its own). */
  @Override
  public String settings(ApiKeySpec spec) {
    return "";
  }

  private static String sorted(List<String> values) {
    return values == null ? "" : values.stream().distinct().sorted().collect(Collectors.joining(","));
  }

  @Override
  public Connector connector(OkHttpClient http, Clock clock, Duration directoryTtl) {
    return (provider, credential) -> new UnleashIssuer(new UnleashClient(http, provider.baseUrl(), credential),
        clock);
  }
}
