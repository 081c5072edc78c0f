package dev.apikeyoperator.pacing;

import dev.apikeyoperator.api.v1alpha1.RateLimitSpec;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/**
 * Paces the vendor calls of one provider, shared by all its keys. Two limits, both token buckets, never blocking
 * (callers are told how long to wait and reschedule):
 * <ul>
 *   <li>the provider's own {@code rateLimit}, when set;</li>
 *   <li>a pace learned from the vendor: when it answers 429, the calls that succeeded in the second before are
 *       the rate it allows, so the throttle keeps to 95% of that from then on (and probes 5% higher after 10
 *       quiet seconds without a backlog), instead of bouncing off the limit with every burst. Until the reset
 *       time the 429 gave, no permit is free; the 429s of calls already under way then teach nothing new.</li>
 * </ul>
 * A caller that must wait is booked a permit at its own moment ({@link Bookings}: the bucket goes into debt for
 * it) and told to come back then; it then goes at once, so a burst costs each key one wait, not a race at every
 * refill. The bookings are fair across namespaces: a namespace's newcomer takes every other turn from a namespace
 * with a backlog (docs/concepts/guarantees.md 7).
 */
public final class Throttle {
  private static final Duration WINDOW = Duration.ofSeconds(1);
  private static final Duration PROBE_AFTER = Duration.ofSeconds(10);
  private static final Duration MIN_WAIT = Duration.ofMillis(20);

  /** 429s without a wait named, since the last call that went through. */
  private int unexplainedInARow;
  private final Clock clock;
  private final Deque<Instant> recentSuccesses = new ArrayDeque<>();
  private final Bookings bookings = new Bookings();
  private volatile RateLimitSpec limit;
  private volatile Bucket configured;
  private volatile Bucket learned;
  private double learnedRate;
  private Instant lastThrottled = Instant.EPOCH;
  /** Until when the last 429 asked to wait. */
  private Instant blockedUntil = Instant.EPOCH;

  Throttle(Clock clock) {
    this.clock = clock;
  }

  /** Applies the provider's current rateLimit (a changed spec replaces the bucket). */
  synchronized void configure(RateLimitSpec spec) {
    if (sameLimit(spec, limit)) {
      return;
    }
    limit = spec;
    if (spec == null || spec.requestsPerSecond == null || spec.requestsPerSecond <= 0) {
      configured = null;
      return;
    }
    configured = bucket(spec.requestsPerSecond, capacity(spec), clock);
    bookings.clear(); // made against the old bucket: their callers are booked again when they come back
  }

  private static long capacity(RateLimitSpec spec) {
    return spec.burst != null && spec.burst > 0 ? spec.burst : (long) Math.ceil(spec.requestsPerSecond);
  }

  /**
   * Takes a permit for one vendor call by {@code who} of {@code tenant} (its namespace); or books it one and says
   * how long until then. A caller back at (or after) its booking goes; one back early is told the rest of its wait.
   * One namespace's burst waits its own turns: another namespace's caller is served within a round, not after the
   * whole burst. Only a held {@link Slot} asks ({@link Slot#permit}): a permit taken by a call that then found no
   * slot would be a turn of the vendor's pace lost.
   */
  synchronized Optional<Duration> acquire(String tenant, String who) {
    return take(tenant, who, true);
  }

  /**
   * For a caller that cannot call now anyway (its namespace's call slots are taken): how long until the permit
   * booked for {@code who}, booking one when the pace makes callers wait; empty when a permit is free now, which
   * is left for whoever calls first. A caller told a wait comes back for its permit, instead of first waiting for a
   * slot and then for its permit.
   */
  public synchronized Optional<Duration> book(String tenant, String who) {
    return take(tenant, who, false);
  }

  /** {@code callsNow}: the caller takes the permit now if it may (else it only books one for later). */
  private Optional<Duration> take(String tenant, String who, boolean callsNow) {
    String t = tenant == null ? "" : tenant;
    Instant now = Instant.now(clock);
    bookings.forgetGivenUp(now);
    Optional<Bookings.Booking> mine = bookings.of(who);
    if (mine.isPresent()) {
      if (!now.isBefore(mine.get().at())) {
        if (callsNow) {
          bookings.cancel(who);
        }
        return Optional.empty();
      }
      return Optional.of(atLeastMinWait(Duration.between(now, mine.get().at())));
    }
    probe();
    Bucket[] buckets = buckets();
    if (Arrays.stream(buckets).allMatch(b -> b.estimateAbilityToConsume(1).canBeConsumed())) {
      if (callsNow) {
        Arrays.stream(buckets).forEach(b -> b.tryConsume(1));
      }
      return Optional.empty();
    }
    Optional<Bookings.Booking> takeOver = bookings.toTakeOver(t, now);
    Instant at;
    if (takeOver.isPresent()) {
      at = takeOver.get().at(); // its permit is already paid for; its caller is booked again when it comes back
      bookings.takeOver(takeOver.get(), now);
    } else {
      long waitNanos = 0;
      for (Bucket b : buckets) {
        waitNanos = Math.max(waitNanos, b.consumeIgnoringRateLimits(1));
      }
      at = now.plusNanos(waitNanos);
    }
    bookings.book(t, who, at);
    return Optional.of(atLeastMinWait(Duration.between(now, at)));
  }

  private Bucket[] buckets() {
    return Arrays.stream(new Bucket[] {learned, configured}).filter(Objects::nonNull).toArray(Bucket[]::new);
  }

  private static Duration atLeastMinWait(Duration d) {
    return d.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : d;
  }

  /** A vendor call went through: counted to learn the vendor's rate should it answer 429. */
  public synchronized void recordSuccess() {
    unexplainedInARow = 0;
    Instant now = Instant.now(clock);
    recentSuccesses.addLast(now);
    trim(now);
  }

  /**
   * The vendor answered 429 without saying how long to wait: {@code first} the first time, twice as long each time
   * more in a row (a vendor that counts refused calls against its window is left alone longer), at most {@code max},
   * until a call goes through.
   */
  public synchronized void blockUnexplained(Duration first, Duration max) {
    long millis = first.toMillis() << Math.min(unexplainedInARow++, 20);
    blockFor(Duration.ofMillis(Math.min(millis, max.toMillis())));
  }

  /**
   * The vendor answered 429 and asked to wait {@code d}: learn its rate, and let no permit go before then. When
   * the pace learned is near the one permits were booked at, the permits booked within the wait are void (their
   * callers are booked again when they come back) and those after it are kept, new bookings coming after them;
   * when the vendor allows well under that pace, every booking is void.
   */
  public synchronized void blockFor(Duration d) {
    Instant now = Instant.now(clock);
    Instant until = now.plus(d);
    if (now.isBefore(blockedUntil)) {
      // a call sent before the last 429's wait began: the same episode, nothing new to learn
      if (until.isAfter(blockedUntil)) {
        blockedUntil = until;
        bookings.voidBefore(until);
        oweUntil(learned, learnedRate, d);
        if (configured != null) {
          oweUntil(configured, limit.requestsPerSecond, d);
        }
      }
      return;
    }
    blockedUntil = until;
    double bookedAt = pace();
    learn(now);
    if (pace() < bookedAt * 0.9) {
      bookings.clear(); // made at a pace well above what the vendor allows: booked again, at the slower one
    } else {
      bookings.voidBefore(until); // near the vendor's pace (a burst's first second went over): kept
    }
    Instant free = bookings.last().map(b -> b.at().plusNanos(period(learnedRate))).filter(until::isBefore)
        .orElse(until);
    learned = bucket(learnedRate, 1, clock);
    oweUntil(learned, learnedRate, Duration.between(now, free));
    if (configured != null) {
      oweUntil(configured, limit.requestsPerSecond, d);
    }
  }

  /** Puts {@code b} in debt so that its next permit is at least {@code d} away (within one period). */
  private static void oweUntil(Bucket b, double perSecond, Duration d) {
    long available = b.getAvailableTokens();
    if (available > 0) {
      b.consumeIgnoringRateLimits(available);
    }
    long wait = b.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    if (wait < d.toNanos()) {
      long period = period(perSecond);
      b.consumeIgnoringRateLimits((d.toNanos() - wait + period - 1) / period); // never a nanosecond before d
    }
  }

  private static long period(double perSecond) {
    return Math.max(1, (long) (1_000_000_000L / perSecond));
  }

  /** The pace learned from 429s, in calls per second; 0 while the vendor never said no. */
  public synchronized double learnedRate() {
    return learnedRate;
  }

  /** Learns the vendor's rate from a 429 (the calls that went through in the second before it, less 5%). */
  private void learn(Instant now) {
    trim(now);
    lastThrottled = now;
    double observed = Math.max(1, recentSuccesses.size()) * 0.95;
    if (learnedRate == 0 || observed < learnedRate) {
      learnedRate = observed;
    }
  }

  /** The pace permits are booked at: the slower of the learned and the configured one (infinite without both). */
  private double pace() {
    double pace = Double.POSITIVE_INFINITY;
    if (learnedRate > 0) {
      pace = learnedRate;
    }
    if (configured != null) {
      pace = Math.min(pace, limit.requestsPerSecond);
    }
    return pace;
  }

  /**
   * After a quiet spell, allow a little more: the vendor's limit may have been raised, or been a spike. Not while
   * callers hold bookings: a probe the vendor refuses voids them all, and a backlog of keys would each wait again.
   */
  private void probe() {
    Instant now = Instant.now(clock);
    if (learnedRate > 0 && now.isAfter(lastThrottled.plus(PROBE_AFTER)) && bookings.isEmpty()) {
      learnedRate *= 1.05;
      learned.replaceConfiguration(configuration(learnedRate, 1), TokensInheritanceStrategy.AS_IS);
      lastThrottled = now;
    }
  }

  private void trim(Instant now) {
    Instant from = now.minus(WINDOW);
    while (!recentSuccesses.isEmpty() && recentSuccesses.peekFirst().isBefore(from)) {
      recentSuccesses.removeFirst();
    }
  }

  private static BucketConfiguration configuration(double perSecond, long capacity) {
    return BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(1, Duration.ofNanos(period(perSecond))).build())
        .build();
  }

  /** A token bucket that tells time by {@code clock}, like everything else here. */
  private static Bucket bucket(double perSecond, long capacity, Clock clock) {
    return Bucket.builder()
        .addLimit(configuration(perSecond, capacity).getBandwidths()[0])
        .withCustomTimePrecision(timeMeter(clock))
        .build();
  }

  /** bucket4j's time as {@code clock} tells it, so that tests move it by hand. */
  public static TimeMeter timeMeter(Clock clock) {
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }

  private static boolean sameLimit(RateLimitSpec a, RateLimitSpec b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.requestsPerSecond, b.requestsPerSecond) && Objects.equals(a.burst, b.burst);
  }
}
