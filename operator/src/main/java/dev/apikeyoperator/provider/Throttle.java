package dev.apikeyoperator.provider;

import dev.apikeyoperator.customresource.RateLimitSpec;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Paces the vendor calls of one provider, shared by all its keys: an optional token bucket from the provider's
 * {@code rateLimit}, and a gate that, once the vendor answers 429, keeps everyone away until the reset time it
 * gave, so a burst of keys backs off together instead of bouncing off the limit one by one. Never blocks: callers
 * are told how long to wait and reschedule.
 */
public final class Throttle {
  private final Clock clock;
  private final AtomicReference<Instant> blockedUntil = new AtomicReference<>(Instant.EPOCH);
  private volatile RateLimitSpec limit;
  private volatile Bucket bucket;

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
      bucket = null;
      return;
    }
    long capacity = spec.burst != null && spec.burst > 0 ? spec.burst : (long) Math.ceil(spec.requestsPerSecond);
    long periodNanos = (long) (1_000_000_000L / spec.requestsPerSecond);
    bucket = Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(1, Duration.ofNanos(periodNanos)).build())
        .build();
  }

  /**
   * Takes a permit for one vendor call; or, when the vendor asked to wait or the bucket is empty, says how long
   * to wait (and takes nothing).
   */
  public Optional<Duration> acquire() {
    Duration blocked = Duration.between(Instant.now(clock), blockedUntil.get());
    if (!blocked.isNegative() && !blocked.isZero()) {
      return Optional.of(withJitter(blocked));
    }
    Bucket b = bucket;
    if (b == null) {
      return Optional.empty();
    }
    ConsumptionProbe probe = b.tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? Optional.empty()
        : Optional.of(withJitter(Duration.ofNanos(probe.getNanosToWaitForRefill())));
  }

  public void blockFor(Duration d) {
    Instant until = Instant.now(clock).plus(d);
    blockedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
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
