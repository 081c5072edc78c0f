package dev.apikeyoperator.provider;

import dev.apikeyoperator.customresource.RateLimitSpec;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Paces the vendor calls of one provider, shared by all its keys. Three limits, all token buckets or gates, never
 * blocking (callers are told how long to wait and reschedule):
 * <ul>
 *   <li>the provider's own {@code rateLimit}, when set;</li>
 *   <li>a pace learned from the vendor: when it answers 429, the calls that succeeded in the second before are
 *       the rate it allows, so the throttle keeps to 95% of that from then on (and probes 5% higher after 10
 *       quiet seconds), instead of bouncing off the limit with every burst;</li>
 *   <li>a gate that keeps everyone away until the reset time the 429 gave.</li>
 * </ul>
 */
public final class Throttle {
  private static final Duration WINDOW = Duration.ofSeconds(1);
  private static final Duration PROBE_AFTER = Duration.ofSeconds(10);

  private final Clock clock;
  private final AtomicReference<Instant> blockedUntil = new AtomicReference<>(Instant.EPOCH);
  private final Deque<Instant> recentSuccesses = new ArrayDeque<>();
  private final Map<String, Instant> reservations = new HashMap<>();
  private volatile RateLimitSpec limit;
  private volatile Bucket configured;
  private volatile Bucket learned;
  private double learnedRate;
  private Instant lastThrottled = Instant.EPOCH;

  public Throttle(Clock clock) {
    this.clock = clock;
  }

  /** Applies the provider's current rateLimit (a changed spec replaces the bucket). */
  public synchronized void configure(RateLimitSpec spec) {
    if (sameLimit(spec, limit)) {
      return;
    }
    limit = spec;
    if (spec == null || spec.requestsPerSecond == null || spec.requestsPerSecond <= 0) {
      configured = null;
      return;
    }
    long capacity = spec.burst != null && spec.burst > 0 ? spec.burst : (long) Math.ceil(spec.requestsPerSecond);
    configured = bucket(spec.requestsPerSecond, capacity, clock);
  }

  /** Takes a permit for one vendor call now, or says how long to wait (anonymous callers: no reservation). */
  public Optional<Duration> acquire() {
    return acquire(null);
  }

  /**
   * Takes a permit for one vendor call by {@code who}; or, when the vendor asked to wait or the buckets are empty,
   * reserves the next free slot for {@code who} and says how long to wait. Coming back at that time, {@code who}
   * goes without queueing again: a thousand waiting keys each retry once, at their own slot, instead of all
   * retrying at every refill.
   */
  public synchronized Optional<Duration> acquire(String who) {
    Instant now = Instant.now(clock);
    Duration blocked = Duration.between(now, blockedUntil.get());
    if (!blocked.isNegative() && !blocked.isZero()) {
      return Optional.of(withJitter(blocked));
    }
    Instant reserved = who == null ? null : reservations.get(who);
    if (reserved != null) {
      if (!now.isBefore(reserved)) {
        reservations.remove(who);
        return Optional.empty();
      }
      return Optional.of(Duration.between(now, reserved));
    }
    probe();
    long waitNanos = 0;
    for (Bucket b : new Bucket[] {learned, configured}) {
      if (b != null) {
        ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
        if (!p.isConsumed()) {
          waitNanos = Math.max(waitNanos, who == null ? p.getNanosToWaitForRefill() : b.consumeIgnoringRateLimits(1));
        }
      }
    }
    if (waitNanos == 0) {
      return Optional.empty();
    }
    if (who == null) {
      return Optional.of(withJitter(Duration.ofNanos(waitNanos)));
    }
    forgetStaleReservations(now);
    reservations.put(who, now.plusNanos(waitNanos));
    return Optional.of(Duration.ofNanos(waitNanos));
  }

  /** Reservations of callers that never came back (their ApiKey was deleted meanwhile). */
  private void forgetStaleReservations(Instant now) {
    if (reservations.size() > 10_000) {
      reservations.values().removeIf(at -> at.isBefore(now.minus(Duration.ofMinutes(10))));
    }
  }

  /** A vendor call went through: counted to learn the vendor's rate should it answer 429. */
  public synchronized void recordSuccess() {
    Instant now = Instant.now(clock);
    recentSuccesses.addLast(now);
    trim(now);
  }

  /** The vendor answered 429 and asked to wait {@code d}: block until then, and learn its rate. */
  public void blockFor(Duration d) {
    Instant now = Instant.now(clock);
    blockedUntil.accumulateAndGet(now.plus(d), (a, b) -> a.isAfter(b) ? a : b);
    learn(now);
  }

  /** The pace learned from 429s, in calls per second; 0 while the vendor never said no. */
  public synchronized double learnedRate() {
    return learnedRate;
  }

  private synchronized void learn(Instant now) {
    reservations.clear(); // slots given out at the old pace
    trim(now);
    double observed = Math.max(1, recentSuccesses.size()) * 0.95;
    if (learnedRate == 0 || observed < learnedRate) {
      learnedRate = observed;
      learned = bucket(learnedRate, 1, clock);
    }
    lastThrottled = now;
  }

  /** After a quiet spell, allow a little more: the vendor's limit may have been raised, or been a spike. */
  private synchronized void probe() {
    Instant now = Instant.now(clock);
    if (learnedRate > 0 && now.isAfter(lastThrottled.plus(PROBE_AFTER))) {
      learnedRate *= 1.05;
      learned = bucket(learnedRate, 1, clock);
      lastThrottled = now;
    }
  }

  private void trim(Instant now) {
    Instant from = now.minus(WINDOW);
    while (!recentSuccesses.isEmpty() && recentSuccesses.peekFirst().isBefore(from)) {
      recentSuccesses.removeFirst();
    }
  }

  /** A token bucket that tells time by {@code clock}, like everything else here. */
  private static Bucket bucket(double perSecond, long capacity, Clock clock) {
    long periodNanos = Math.max(1, (long) (1_000_000_000L / perSecond));
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(1, Duration.ofNanos(periodNanos)).build())
        .withCustomTimePrecision(new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        })
        .build();
  }

  /** Spreads waiters over an extra quarter of the wait (at least 50 ms), so they do not all return at once. */
  private static Duration withJitter(Duration d) {
    long extra = ThreadLocalRandom.current().nextLong(Math.max(50, d.toMillis() / 4 + 1));
    return d.plusMillis(extra);
  }

  private static boolean sameLimit(RateLimitSpec a, RateLimitSpec b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.requestsPerSecond, b.requestsPerSecond) && Objects.equals(a.burst, b.burst);
  }
}
