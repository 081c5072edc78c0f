package dev.apikeyoperator.provider;

import dev.apikeyoperator.customresource.RateLimitSpec;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.Deque;
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
 * Waiting callers are served in fair order across namespaces ({@link FairQueue}).
 */
public final class Throttle {
  private static final Duration WINDOW = Duration.ofSeconds(1);
  private static final Duration PROBE_AFTER = Duration.ofSeconds(10);
  /** A waiter this late for its turn lets those after it take free permits: it does not stall the rest. */
  private static final Duration LATE = Duration.ofMillis(250);
  private static final Duration MIN_WAIT = Duration.ofMillis(20);

  private final Clock clock;
  private final AtomicReference<Instant> blockedUntil = new AtomicReference<>(Instant.EPOCH);
  private final Deque<Instant> recentSuccesses = new ArrayDeque<>();
  private final FairQueue queue = new FairQueue();
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

  /** Takes a permit for one vendor call now, or says how long to wait (anonymous callers: not queued). */
  public Optional<Duration> acquire() {
    return acquire(null, null);
  }

  /**
   * Takes a permit for one vendor call by {@code who} of {@code tenant} (its namespace); or, when the vendor asked
   * to wait or the buckets are empty, queues {@code who} in fair order across tenants and says how long until its
   * turn. One namespace's burst waits its own turns: another namespace's caller is served within a round, not
   * after the whole burst; and a thousand waiting keys each retry near their own turn, instead of all retrying at
   * every refill.
   */
  public synchronized Optional<Duration> acquire(String tenant, String who) {
    Instant now = Instant.now(clock);
    Duration blocked = Duration.between(now, blockedUntil.get());
    Bucket[] buckets = Arrays.stream(new Bucket[] {learned, configured}).filter(Objects::nonNull)
        .toArray(Bucket[]::new);
    if (!blocked.isNegative() && !blocked.isZero()) {
      if (who == null) {
        return Optional.of(withJitter(blocked));
      }
      // Queued like any wait: when the block lifts, the waiters come back one pace apart, in fair order, instead
      // of all at once at random moments (most of them to find the one permit taken and be sent away again).
      int position = queue.position(tenant == null ? "" : tenant, who, now);
      long period = Arrays.stream(buckets).mapToLong(this::periodNanos).max().orElse(0);
      Duration wait = blocked.plusNanos(position * period);
      queue.due(who, now.plus(wait));
      return Optional.of(wait);
    }
    probe();
    buckets = Arrays.stream(new Bucket[] {learned, configured}).filter(Objects::nonNull).toArray(Bucket[]::new);
    if (who == null) {
      long waitNanos = 0;
      for (Bucket b : buckets) {
        ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
        waitNanos = Math.max(waitNanos, p.isConsumed() ? 0 : p.getNanosToWaitForRefill());
      }
      return waitNanos == 0 ? Optional.empty() : Optional.of(withJitter(Duration.ofNanos(waitNanos)));
    }
    boolean permit = Arrays.stream(buckets).allMatch(b -> b.estimateAbilityToConsume(1).canBeConsumed());
    if (permit && queue.isEmpty()) {
      Arrays.stream(buckets).forEach(b -> b.tryConsume(1));
      return Optional.empty();
    }
    int position = queue.position(tenant == null ? "" : tenant, who, now);
    if (permit && queue.mayGo(who, now, LATE)) {
      Arrays.stream(buckets).forEach(b -> b.tryConsume(1));
      queue.served(who);
      return Optional.empty();
    }
    Duration wait = Duration.ofNanos(Math.max(MIN_WAIT.toNanos(), Arrays.stream(buckets)
        .mapToLong(b -> nanosUntilTurn(b, position)).max().orElse(0)));
    queue.due(who, now.plus(wait));
    return Optional.of(wait);
  }

  /** How long until {@code position} callers before this one have had a permit from {@code b}, and it has one. */
  private long nanosUntilTurn(Bucket b, int position) {
    long period = periodNanos(b);
    long available = b.getAvailableTokens();
    if (available >= 1) {
      return Math.max(0, position + 1 - available) * period;
    }
    return b.estimateAbilityToConsume(1).getNanosToWaitForRefill() + position * period;
  }

  /** The time between two permits of {@code b}. */
  private long periodNanos(Bucket b) {
    double perSecond = b == learned ? learnedRate : limit.requestsPerSecond;
    return (long) (1_000_000_000L / perSecond);
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
