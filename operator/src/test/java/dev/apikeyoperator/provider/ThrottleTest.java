package dev.apikeyoperator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.customresource.RateLimitSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    assertThat(t.acquire("shop", "a")).isEmpty();
    Duration b = t.acquire("shop", "b").orElseThrow();
    Duration c = t.acquire("shop", "c").orElseThrow();
    assertThat(b).isBetween(Duration.ofMillis(90), Duration.ofMillis(110));
    assertThat(c).isBetween(Duration.ofMillis(190), Duration.ofMillis(210));
    // Asking again before its slot changes nothing; at its slot, it goes.
    assertThat(t.acquire("shop", "c").orElseThrow()).isEqualTo(c);
    clock.advance(b);
    assertThat(t.acquire("shop", "b")).isEmpty();
    assertThat(t.acquire("shop", "c")).hasValueSatisfying(d -> assertThat(d).isPositive());
    clock.advance(c.minus(b));
    assertThat(t.acquire("shop", "c")).isEmpty();
  }

  @Test
  void oneNamespacesBurstDoesNotMakeAnotherNamespaceWaitForAllOfIt() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    RateLimitSpec spec = new RateLimitSpec();
    spec.requestsPerSecond = 10.0;
    spec.burst = 1;
    t.configure(spec);
    // Namespace a applies 200 ApiKeys, then namespace b one; each caller comes back when it is told to.
    Map<String, Instant> retryAt = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      retryAt.put("a/" + i, clock.now);
    }
    retryAt.put("b/0", clock.now.plusMillis(1));
    List<String> served = new ArrayList<>();
    Instant start = clock.now;
    while (!retryAt.isEmpty() && !served.contains("b/0")) {
      for (Map.Entry<String, Instant> e : new ArrayList<>(retryAt.entrySet())) {
        if (!e.getValue().isAfter(clock.now)) {
          String who = e.getKey();
          Optional<Duration> wait = t.acquire(who.substring(0, 1), who);
          if (wait.isEmpty()) {
            served.add(who);
            retryAt.remove(who);
          } else {
            retryAt.put(who, clock.now.plus(wait.get()));
          }
        }
      }
      clock.advance(Duration.ofMillis(10));
    }
    assertThat(served.indexOf("b/0")).as("permits before namespace b's one, in %s", served).isLessThanOrEqualTo(3);
    assertThat(Duration.between(start, clock.now)).isLessThan(Duration.ofMillis(500));
    // The pace itself is kept: no more than one permit per 100 ms.
    assertThat(served.size()).isLessThanOrEqualTo(1 + (int) (Duration.between(start, clock.now).toMillis() / 100));
  }

  @Test
  void aWaiterThatNeverComesBackDoesNotHoldTheQueue() {
    MovingClock clock = new MovingClock();
    Throttle t = limited(clock);
    assertThat(t.acquire("a", "first")).isEmpty();
    for (int i = 0; i < 5; i++) {
      assertThat(t.acquire("a", "gone-" + i)).isPresent();
    }
    clock.advance(Duration.ofMinutes(1));
    assertThat(t.acquire("b", "late")).isEmpty();
  }

  /**
   * Two keys of one namespace queued one after the other: the second comes back first, when a permit is free. It
   * goes (any of the namespace's calls is its turn) instead of being sent away, which in a burst cost each key one
   * more reconcile per round.
   */
  @Test
  void withinOneNamespaceWhoeverComesBackFirstTakesTheFreePermit() {
    MovingClock clock = new MovingClock();
    Throttle t = limited(clock);
    assertThat(t.acquire("a", "first")).isEmpty();
    Duration toFirst = t.acquire("a", "second").orElseThrow();
    Duration toSecond = t.acquire("a", "third").orElseThrow();
    assertThat(toSecond).isGreaterThan(toFirst);
    clock.advance(toSecond);
    assertThat(t.acquire("a", "third")).as("a free permit, and only its own namespace's key ahead").isEmpty();
    // while another namespace's key queued ahead still holds its turn
    assertThat(t.acquire("b", "other")).isPresent();
    Duration toLast = t.acquire("a", "last").orElseThrow();
    clock.advance(toLast);
    assertThat(t.acquire("a", "second")).isEmpty();
  }

  /** A newcomer of the same namespace does not take the permit of a key whose turn it is and is on its way back. */
  @Test
  void aNewcomerDoesNotTakeTheTurnOfAKeyComingBack() {
    MovingClock clock = new MovingClock();
    Throttle t = limited(clock);
    assertThat(t.acquire("a", "first")).isEmpty();
    Duration toSecond = t.acquire("a", "second").orElseThrow();
    clock.advance(toSecond);
    assertThat(t.acquire("a", "newcomer")).as("the free permit is second's").isPresent();
    assertThat(t.acquire("a", "second")).isEmpty();
  }

  private static Throttle limited(MovingClock clock) {
    Throttle t = new Throttle(clock);
    RateLimitSpec spec = new RateLimitSpec();
    spec.requestsPerSecond = 10.0;
    spec.burst = 1;
    t.configure(spec);
    return t;
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

  @Test
  void theCallersA429HoldsBackComeBackOnePaceApartInFairOrder() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    for (int i = 0; i < 10; i++) {
      t.recordSuccess(); // 10 calls went through in the last second: the vendor's pace is about 9.5/s
    }
    t.blockFor(Duration.ofSeconds(1));
    Duration a = t.acquire("shop", "shop/a").orElseThrow();
    Duration b = t.acquire("shop", "shop/b").orElseThrow();
    Duration c = t.acquire("blog", "blog/c").orElseThrow();
    long period = (long) (1_000_000_000L / t.learnedRate());
    assertThat(a).as("first in line: when the block lifts").isEqualTo(Duration.ofSeconds(1));
    assertThat(c).as("another namespace's caller is served within a round").isEqualTo(a.plusNanos(period));
    assertThat(b).as("second when it asked").isEqualTo(a.plusNanos(period));
    assertThat(t.acquire("shop", "shop/b").orElseThrow()).as("third once blog/c queued")
        .isEqualTo(a.plusNanos(2 * period));
    assertThat(t.acquire("shop", "shop/a").orElseThrow()).as("asking again keeps its place").isEqualTo(a);

    clock.advance(a);
    assertThat(t.acquire("shop", "shop/a")).isEmpty();
    assertThat(t.acquire("shop", "shop/b")).as("not yet its turn").isPresent();
    clock.advance(Duration.ofNanos(period));
    assertThat(t.acquire("blog", "blog/c")).isEmpty();
    clock.advance(Duration.ofNanos(period));
    assertThat(t.acquire("shop", "shop/b")).isEmpty();
  }
}
