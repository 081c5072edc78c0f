package dev.apikeyoperator.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Shared by every key on one provider: once the vendor answers 429, nobody calls it again before the reset time
 * it gave, so a burst of keys backs off together instead of bouncing off the limit one by one.
 */
public final class Throttle {
  private final Clock clock;
  private final AtomicReference<Instant> blockedUntil = new AtomicReference<>(Instant.EPOCH);

  public Throttle(Clock clock) {
    this.clock = clock;
  }

  /** How long to wait before calling the vendor, or empty when calling is fine now. */
  public Optional<Duration> waitNeeded() {
    Duration d = Duration.between(Instant.now(clock), blockedUntil.get());
    return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(withJitter(d));
  }

  public void blockFor(Duration d) {
    Instant until = Instant.now(clock).plus(d);
    blockedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Spreads the waiters over an extra quarter of the wait, so they do not all return in the same millisecond. */
  private static Duration withJitter(Duration d) {
    long extra = ThreadLocalRandom.current().nextLong(Math.max(1, d.toMillis() / 4 + 1));
    return d.plusMillis(extra);
  }
}
