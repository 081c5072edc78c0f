package dev.apikeyoperator.issuer;

import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.issuer.fme.FmeVendor;
import dev.apikeyoperator.issuer.launchdarkly.LaunchDarklyVendor;
import dev.apikeyoperator.issuer.statsig.StatsigVendor;
import dev.apikeyoperator.issuer.unleash.UnleashVendor;
import java.util.List;
import java.util.Optional;

/** The vendors the operator issues keys with. */
public final class Vendors {
  public static final List<Vendor> ALL = List.of(FmeVendor.INSTANCE, StatsigVendor.INSTANCE,
      LaunchDarklyVendor.INSTANCE, UnleashVendor.INSTANCE);

  private Vendors() {}

  /** The vendor a provider is an account of; empty when its spec names none. */
  public static Optional<Vendor> ofProvider(ProviderSpec spec) {
    return ALL.stream().filter(v -> v.accountOf(spec)).findFirst();
  }

  /** The vendors whose block an ApiKey's spec gives (exactly one in a valid spec). */
  public static List<Vendor> ofKey(ApiKeySpec spec) {
    return ALL.stream().filter(v -> v.keyOf(spec)).toList();
  }

  /** The vendor of a valid ApiKey's spec. */
  public static Vendor of(ApiKeySpec spec) {
    return ALL.stream().filter(v -> v.keyOf(spec)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the spec gives no vendor block"));
  }
}
