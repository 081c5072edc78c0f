package dev.apikeyoperator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.customresource.RateLimitSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  @Test
  void unlimitedUntilTheVendorSaysNo() {
    Throttle t = new Throttle(new MovingClock());
    for (int i = 0; i < 100; i++) {
      assertThat(t.acquire()).isEmpty();
    }
    assertThat(t.learnedRate()).isZero();
  }

  @Test
  void a429BlocksEveryoneUntilTheResetAndTeachesTheVendorsRate() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    for (int i = 0; i < 20; i++) {
      assertThat(t.acquire()).isEmpty();
      t.recordSuccess();
      clock.advance(Duration.ofMillis(40));
    }
    t.blockFor(Duration.ofSeconds(1));
    assertThat(t.acquire()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(1),
        Duration.ofMillis(1300)));
    // Successes in the second before the 429 (those of the last 1000 ms: 20 at 40 ms) at 95%.
    assertThat(t.learnedRate()).isBetween(18.0, 20.0);

    clock.advance(Duration.ofMillis(1001));
    assertThat(t.acquire()).isEmpty();
    // Paced from now on: one call per ~1/19 s, no burst.
    assertThat(t.acquire()).hasValueSatisfying(d -> assertThat(d).isPositive());
    clock.advance(Duration.ofMillis(60));
    assertThat(t.acquire()).isEmpty();
  }

  @Test
  void theProvidersOwnRateLimitIsAlsoHonoured() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    RateLimitSpec spec = new RateLimitSpec();
    spec.requestsPerSecond = 2.0;
    spec.burst = 2;
    t.configure(spec);
    assertThat(t.acquire()).isEmpty();
    assertThat(t.acquire()).isEmpty();
    assertThat(t.acquire()).hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofMillis(400)));
  }

  @Test
  void waitingCallersGetTheirOwnSlotsInsteadOfAllRetryingAtOnce() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    RateLimitSpec spec = new RateLimitSpec();
    spec.requestsPerSecond = 10.0;
    spec.burst = 1;
    t.configure(spec);
    assertThat(t.acquire("a")).isEmpty();
    Duration b = t.acquire("b").orElseThrow();
    Duration c = t.acquire("c").orElseThrow();
    assertThat(b).isBetween(Duration.ofMillis(90), Duration.ofMillis(110));
    assertThat(c).isBetween(Duration.ofMillis(190), Duration.ofMillis(210));
    // Asking again before its slot changes nothing; at its slot, it goes.
    assertThat(t.acquire("c").orElseThrow()).isEqualTo(c);
    clock.advance(b);
    assertThat(t.acquire("b")).isEmpty();
    assertThat(t.acquire("c")).hasValueSatisfying(d -> assertThat(d).isPositive());
    clock.advance(c.minus(b));
    assertThat(t.acquire("c")).isEmpty();
  }

  @Test
  void afterAQuietSpellItProbesHigher() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    for (int i = 0; i < 10; i++) {
      t.recordSuccess();
    }
    t.blockFor(Duration.ofSeconds(1));
    double learned = t.learnedRate();
    clock.advance(Duration.ofSeconds(31));
    t.acquire();
    assertThat(t.learnedRate()).isGreaterThan(learned);
  }
}
