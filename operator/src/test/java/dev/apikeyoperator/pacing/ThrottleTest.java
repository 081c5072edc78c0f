package dev.apikeyoperator.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.MovingClock;

import dev.apikeyoperator.api.v1alpha1.RateLimitSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  @Test
  void unlimitedUntilTheVendorSaysNo() {
    Throttle t = new Throttle(new MovingClock());
    for (int i = 0; i < 100; i++) {
      assertThat(t.acquire("shop", "key-" + i)).isEmpty();
    }
    assertThat(t.learnedRate()).isZero();
  }

  @Test
  void a429BlocksEveryoneUntilTheResetAndTeachesTheVendorsRate() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    for (int i = 0; i < 20; i++) {
      assertThat(t.acquire("shop", "key-" + i)).isEmpty();
      t.recordSuccess();
      clock.advance(Duration.ofMillis(40));
    }
    t.blockFor(Duration.ofSeconds(1));
    Duration waited = t.acquire("shop", "waiter").orElseThrow();
    assertThat(waited).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1300));
    // Successes in the second before the 429 (those of the last 1000 ms: 20 at 40 ms) at 95%.
    assertThat(t.learnedRate()).isBetween(18.0, 20.0);

    clock.advance(waited);
    assertThat(t.acquire("shop", "waiter")).isEmpty();
    // Paced from now on: one call per ~1/19 s, no burst.
    assertThat(t.acquire("shop", "next")).hasValueSatisfying(d -> assertThat(d).isPositive());
    clock.advance(Duration.ofMillis(60));
    assertThat(t.acquire("shop", "next")).isEmpty();
  }

  @Test
  void theProvidersOwnRateLimitIsAlsoHonoured() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    RateLimitSpec spec = new RateLimitSpec();
    spec.requestsPerSecond = 2.0;
    spec.burst = 2;
    t.configure(spec);
    assertThat(t.acquire("shop", "first")).isEmpty();
    assertThat(t.acquire("shop", "second")).isEmpty();
    assertThat(t.acquire("shop", "third")).hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofMillis(400)));
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
      retryAt.put("a/" + i, clock.instant());
    }
    retryAt.put("b/0", clock.instant().plusMillis(1));
    Instant start = clock.instant();
    List<String> served = serve(t, clock, retryAt, Duration.ofMillis(10), new HashMap<>(),
        soFar -> soFar.contains("b/0"));
    assertThat(served.indexOf("b/0")).as("permits before namespace b's one, in %s", served).isLessThanOrEqualTo(3);
    assertThat(Duration.between(start, clock.instant())).isLessThan(Duration.ofMillis(500));
    // The pace itself is kept: no more than one permit per 100 ms.
    assertThat(served.size()).isLessThanOrEqualTo(1 + (int) (Duration.between(start, clock.instant()).toMillis() / 100));
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
    t.acquire("shop", "after-a-quiet-spell");
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
    assertThat(a).as("first in line: when the block lifts (within one learned pace)")
        .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(1).plusNanos(period));
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

  /**
   * Two namespaces apply 100 ApiKeys each, one a moment after the other; every caller comes back when it is told.
   * The namespaces take turns while both have a backlog, and each key asks at most three times: once, once more
   * if another namespace took over its booking, and once to go.
   */
  @Test
  void twoNamespacesBurstingTakeTurnsAndEachKeyWaitsOnceOrTwice() {
    MovingClock clock = new MovingClock();
    Throttle t = limited(clock);
    Map<String, Instant> retryAt = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      retryAt.put("a/" + i, clock.instant());
    }
    for (int i = 0; i < 100; i++) {
      retryAt.put("b/" + i, clock.instant().plusMillis(5));
    }
    Map<String, Integer> asks = new HashMap<>();
    Instant start = clock.instant();
    List<String> served = serve(t, clock, retryAt, Duration.ofMillis(5), asks, soFar -> false).stream()
        .map(who -> who.substring(0, 1)).toList();
    assertThat(served.indexOf("b")).as("namespace b is served within a round").isLessThanOrEqualTo(3);
    for (int from = 0; from + 20 <= 100; from += 20) { // while both have a backlog, they take turns
      assertThat(served.subList(from, from + 20)).as("permits %d to %d of %s", from, from + 20, served)
          .filteredOn("b"::equals).hasSizeBetween(8, 12);
    }
    assertThat(asks.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(3));
    assertThat(asks.values().stream().mapToInt(Integer::intValue).average().orElseThrow()).isLessThan(2.6);
    // The pace itself is kept: 200 permits at 10/s (burst 1) take 19.9 s at least.
    assertThat(Duration.between(start, clock.instant())).isGreaterThanOrEqualTo(Duration.ofMillis(19_900));
  }

  /** A caller that has no call slot books a permit only when it would wait for one anyway; a free one is left. */
  @Test
  void aCallerWithoutASlotBooksOnlyWhenThePaceMakesItWait() {
    MovingClock clock = new MovingClock();
    Throttle t = limited(clock);
    assertThat(t.book("shop", "early")).as("a free permit: left for whoever calls").isEmpty();
    assertThat(t.acquire("shop", "first")).isEmpty();
    Duration booked = t.book("shop", "no-slot").orElseThrow();
    assertThat(booked).isBetween(Duration.ofMillis(90), Duration.ofMillis(110));
    assertThat(t.acquire("shop", "newcomer").orElseThrow()).as("booked after it").isGreaterThan(booked);
    clock.advance(booked);
    assertThat(t.book("shop", "no-slot")).as("its moment: it may call once it has a slot").isEmpty();
    assertThat(t.acquire("shop", "no-slot")).as("the booking was kept until it called").isEmpty();
  }

  /**
   * The calls under way when the vendor first says 429 get their 429s too: they teach nothing new, and the keys
   * booked for after the wait keep their bookings.
   */
  @Test
  void the429sOfCallsAlreadyUnderWayAreOneEpisode() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    for (int i = 0; i < 20; i++) {
      t.recordSuccess();
    }
    t.blockFor(Duration.ofMillis(500));
    double learned = t.learnedRate();
    Duration booked = t.acquire("shop", "waiting").orElseThrow();
    t.recordSuccess(); // not taken as the vendor's rate: the second before the next 429 is not counted again
    clock.advance(Duration.ofMillis(10));
    t.blockFor(Duration.ofMillis(300)); // another call of the same moment
    assertThat(t.learnedRate()).isEqualTo(learned);
    assertThat(t.acquire("shop", "waiting").orElseThrow()).as("its booking kept")
        .isEqualTo(booked.minusMillis(10));
  }

  @Test
  void noProbeWhileKeysAreBookedForLater() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    for (int i = 0; i < 10; i++) {
      t.recordSuccess();
    }
    t.blockFor(Duration.ofSeconds(1));
    double learned = t.learnedRate();
    t.acquire("shop", "booked");
    clock.advance(Duration.ofSeconds(11));
    t.acquire("shop", "another");
    assertThat(t.learnedRate()).as("a backlog: the pace is kept").isEqualTo(learned);
  }

  /**
   * spec.rateLimit says 10/s with a burst of 10, the vendor refuses the second 10 of the first second: the keys
   * booked at 10/s keep their turns (the vendor takes about that). Had it allowed only 5/s, every booking would be
   * made again.
   */
  @Test
  void a429NearTheBookedPaceKeepsTheBookingsFarUnderItVoidsThem() {
    for (int allowed : new int[] {10, 5}) {
      MovingClock clock = new MovingClock();
      Throttle t = new Throttle(clock);
      RateLimitSpec spec = new RateLimitSpec();
      spec.requestsPerSecond = 10.0;
      spec.burst = 10;
      t.configure(spec);
      for (int i = 0; i < 10; i++) {
        assertThat(t.acquire("shop", "burst-" + i)).isEmpty();
      }
      Duration late = t.acquire("shop", "late").orElseThrow(); // booked 100 ms on
      for (int i = 0; i < allowed; i++) {
        t.recordSuccess();
      }
      t.blockFor(Duration.ofMillis(50));
      if (allowed == 10) {
        assertThat(t.acquire("shop", "late").orElseThrow()).as("kept").isEqualTo(late);
      } else {
        assertThat(t.acquire("shop", "late").orElseThrow()).as("booked again at the learned pace")
            .isGreaterThan(late);
      }
    }
  }

  /**
   * Callers named "namespace/name" ask for a permit at their time in {@code retryAt} and come back when they are
   * told to, the clock moving by {@code step}, until all are served or {@code done} holds for those served so far.
   * Returns who was served, in order; {@code asks} counts each caller's asks.
   */
  private static List<String> serve(Throttle t, MovingClock clock, Map<String, Instant> retryAt, Duration step,
      Map<String, Integer> asks, java.util.function.Predicate<List<String>> done) {
    List<String> served = new ArrayList<>();
    while (!retryAt.isEmpty() && !done.test(served)) {
      for (Map.Entry<String, Instant> e : new ArrayList<>(retryAt.entrySet())) {
        if (!e.getValue().isAfter(clock.instant())) {
          String who = e.getKey();
          asks.merge(who, 1, Integer::sum);
          Optional<Duration> wait = t.acquire(who.substring(0, who.indexOf('/')), who);
          if (wait.isEmpty()) {
            served.add(who);
            retryAt.remove(who);
          } else {
            retryAt.put(who, clock.instant().plus(wait.get()));
          }
        }
      }
      clock.advance(step);
    }
    return served;
  }

  @Test
  void unexplained429sHoldTheProviderBackTwiceAsLongEachTimeUntilACallGoesThrough() {
    MovingClock clock = new MovingClock();
    Throttle t = new Throttle(clock);
    // (each wait is the hold, then the caller's place in the pace learned)
    t.blockUnexplained(Duration.ofSeconds(2), Duration.ofMinutes(5));
    assertThat(t.acquire("shop", "a").orElseThrow()).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2500));
    clock.advance(Duration.ofSeconds(3));
    t.blockUnexplained(Duration.ofSeconds(2), Duration.ofMinutes(5));
    assertThat(t.acquire("shop", "b").orElseThrow()).as("the second in a row")
        .isBetween(Duration.ofSeconds(4), Duration.ofMillis(4500));
    clock.advance(Duration.ofSeconds(5));
    t.recordSuccess();
    t.blockUnexplained(Duration.ofSeconds(2), Duration.ofMinutes(5));
    assertThat(t.acquire("shop", "c").orElseThrow()).as("a call went through: the first again")
        .isBetween(Duration.ofSeconds(2), Duration.ofMillis(2500));
  }
}
