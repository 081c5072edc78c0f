package dev.apikeyoperator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.FmeProviderSpec;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.ProviderSpec;
import dev.apikeyoperator.api.v1alpha1.RateLimitSpec;
import dev.apikeyoperator.api.v1alpha1.StatsigProviderSpec;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.pacing.Slot;
import dev.apikeyoperator.pacing.Throttle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The pace a provider gets when its spec sets no rateLimit: Statsig's documented limits, never bounced off. */
class VendorPacingTest {
  private final dev.apikeyoperator.MovingClock clock = new dev.apikeyoperator.MovingClock();
  private final VendorConnections connections = new VendorConnections(null, v -> new OkHttpClient(), clock,
      Duration.ofMinutes(5), new Endpoints(Endpoints.DEFAULT_VENDOR_HOSTS), new dev.apikeyoperator.pacing.Pacing(4, clock));

  private static Provider statsig(RateLimitSpec rateLimit) {
    ProviderSpec spec = new ProviderSpec();
    spec.statsig = new StatsigProviderSpec();
    spec.rateLimit = rateLimit;
    return new Provider(ProviderRef.Kind.ApiKeyProvider, "statsig", "shop", "uid-statsig", spec, null);
  }

  /** The times of the calls a burst of {@code calls} callers gets through in, each coming back when told. */
  private List<Instant> burst(Throttle throttle, int calls) {
    List<Instant> at = new ArrayList<>();
    while (at.size() < calls) {
      try (Slot slot = connections.pacing().trySlot("namespace/shop").orElseThrow()) {
        Slot.Turn turn = slot.permit(throttle, "shop", "caller-" + at.size()); // the next one, until it goes
        if (turn instanceof Slot.Turn.Wait wait) {
          clock.advance(wait.duration());
        } else {
          at.add(clock.instant());
        }
      }
    }
    return at;
  }

  private static int busiest(List<Instant> at, Duration window) {
    int most = 0;
    for (int i = 0, j = 0; i < at.size(); i++) {
      while (!at.get(j).plus(window).isAfter(at.get(i))) {
        j++;
      }
      most = Math.max(most, i - j + 1);
    }
    return most;
  }

  @Test
  void aStatsigBurstStaysUnderBothOfStatsigsLimits() {
    List<Instant> at = burst(connections.throttle(statsig(null)), 4000);

    assertThat(busiest(at, Duration.ofSeconds(10))).isLessThanOrEqualTo(100);
    assertThat(busiest(at, Duration.ofMinutes(15))).isLessThanOrEqualTo(1800);
    // and keeps the pace up: the 4 000 calls take under an hour
    assertThat(Duration.between(at.get(0), at.get(at.size() - 1))).isLessThan(Duration.ofHours(1));
  }

  @Test
  void aRateLimitInTheSpecReplacesTheDefaultAndOtherVendorsHaveNone() {
    RateLimitSpec own = new RateLimitSpec();
    own.requestsPerSecond = 50.0;
    List<Instant> at = burst(connections.throttle(statsig(own)), 100);
    assertThat(Duration.between(at.get(0), at.get(at.size() - 1))).isLessThan(Duration.ofSeconds(3));

    ProviderSpec spec = new ProviderSpec();
    spec.fme = new FmeProviderSpec();
    Throttle fme = connections.throttle(new Provider(ProviderRef.Kind.ApiKeyProvider, "fme", "shop", "uid-fme", spec,
        null));
    for (int i = 0; i < 1000; i++) {
      try (Slot slot = connections.pacing().trySlot("namespace/shop").orElseThrow()) {
        assertThat(slot.permit(fme, "shop", "key-" + i)).isInstanceOf(Slot.Turn.Permit.class);
      }
    }
  }
}
