package dev.apikeyoperator.issuer.statsig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeySpec;
import dev.apikeyoperator.api.v1alpha1.StatsigKeyType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Statsig identity, settings and request building. */
class StatsigIssuerTest {

  private static ApiKeySpec spec() {
    ApiKeySpec spec = new ApiKeySpec();
    spec.statsig = new StatsigKeySpec();
    spec.statsig.type = StatsigKeyType.SERVER;
    spec.statsig.description = "checkout";
    spec.statsig.scopes = new ArrayList<>(List.of("b", "a"));
    spec.statsig.environments = new ArrayList<>(List.of("prod"));
    spec.statsig.targetApp = "app-1";
    return spec;
  }

  @Test
  void theIdentityIsTheTypeAndTheSettingsAreTheRest() {
    assertThat(StatsigVendor.INSTANCE.specIdentity(spec())).isEqualTo("statsig;type=SERVER");
    ApiKeySpec reordered = spec();
    reordered.statsig.scopes = new ArrayList<>(List.of("a", "b"));
    assertThat(StatsigVendor.INSTANCE.settings(reordered)).isEqualTo(StatsigVendor.INSTANCE.settings(spec()))
        .startsWith("description=checkout;scopes=a,b;");
    ApiKeySpec redescribed = spec();
    redescribed.statsig.description = "other";
    assertThat(StatsigVendor.INSTANCE.settings(redescribed)).isNotEqualTo(StatsigVendor.INSTANCE.settings(spec()));
  }

  @Test
  void theCreateRequestMarksTheDescriptionWithTheKeyName() {
    StatsigKeySpec s = spec().statsig;
    s.environments = new ArrayList<>(Arrays.asList("prod", null));
    StatsigKeyRequest request = StatsigIssuer.request(s, "shop-checkout-abc123");
    assertThat(request).isEqualTo(new StatsigKeyRequest("SERVER", "checkout (shop-checkout-abc123)", List.of("b", "a"),
        List.of("prod"), "app-1", List.of()));
  }

  @Test
  void theUpdateRequestKeepsTheMarkerOfTheLiveKey() {
    StatsigKeySpec s = spec().statsig;
    s.secondaryTargetApps = null;
    assertThat(StatsigIssuer.update(s, "k1")).isEqualTo(new StatsigKeyUpdate("checkout (k1)", List.of("b", "a"),
        List.of("prod"), "app-1", List.of()));
  }

  @Test
  void theVendorCanDoWhatFmeCannot() {
    assertThat(StatsigVendor.INSTANCE.capabilities().findsLostKeys()).isTrue();
    assertThat(StatsigVendor.INSTANCE.capabilities().rotatesNatively()).isTrue();
    assertThat(dev.apikeyoperator.issuer.fme.FmeVendor.INSTANCE.capabilities().findsLostKeys()).isFalse();
  }
}
