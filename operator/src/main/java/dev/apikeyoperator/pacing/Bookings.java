package dev.apikeyoperator.pacing;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The permits of one provider's pace that waiting callers have been promised, each at its own moment: a caller told
 * to come back at its moment finds its permit kept for it, instead of racing everyone else who comes back. Across
 * tenants (namespaces) the bookings are kept fair: a tenant with fewer bookings takes over, every other turn, the
 * bookings of a tenant with more, whose callers are booked again when they come back. Not thread-safe:
 * {@link Throttle} holds its lock.
 */
final class Bookings {
  /** A booking whose caller has not come back this long after its moment is dropped (its ApiKey is gone, say). */
  static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

  /** @param kept made for a caller whose earlier booking was taken over: never taken over again */
  record Booking(String tenant, String who, Instant at, boolean kept) {}

  // Keyed by caller, but only while a caller waits for its permit: a booking goes when used, taken over, voided, or
  // GIVE_UP_AFTER past its moment, so nothing outlives a burst. Nothing in the cluster records a promised permit.
  private final TreeSet<Booking> byTime = new TreeSet<>(Comparator.comparing(Booking::at)
      .thenComparing(Booking::who));
  private final Map<String, Booking> byWho = new HashMap<>();
  private final Map<String, Integer> perTenant = new HashMap<>();
  /** The callers whose booking was taken over, and when: their next booking is kept for them. */
  private final Map<String, Instant> takenOver = new HashMap<>();

  boolean isEmpty() {
    return byWho.isEmpty();
  }

  Optional<Booking> of(String who) {
    return Optional.ofNullable(byWho.get(who));
  }

  void book(String tenant, String who, Instant at) {
    cancel(who);
    Booking b = new Booking(tenant, who, at, takenOver.remove(who) != null);
    byTime.add(b);
    byWho.put(who, b);
    perTenant.merge(tenant, 1, Integer::sum);
  }

  /** The booking of {@code who} is used, or taken over: it is gone. */
  void cancel(String who) {
    Booking b = byWho.remove(who);
    if (b != null) {
      byTime.remove(b);
      perTenant.computeIfPresent(b.tenant(), (t, n) -> n > 1 ? n - 1 : null);
    }
  }

  /** The booking {@code b} goes to another caller: its own caller gets a booking that is kept, when it is back. */
  void takeOver(Booking b, Instant now) {
    cancel(b.who());
    takenOver.put(b.who(), now);
  }

  /** Every booking is void (the pace changed). */
  void clear() {
    byTime.clear();
    byWho.clear();
    perTenant.clear();
  }

  /** The bookings before {@code until} are void (the vendor asked to wait until then). */
  void voidBefore(Instant until) {
    while (!byTime.isEmpty() && byTime.first().at().isBefore(until)) {
      cancel(byTime.first().who());
    }
  }

  /** The latest booking. */
  Optional<Booking> last() {
    return byTime.isEmpty() ? Optional.empty() : Optional.of(byTime.last());
  }

  /**
   * The booking that a new caller of {@code tenant} may take over, so that its tenant is served within a round and
   * not after another tenant's whole burst: the second booking after the last one of {@code tenant} (or after
   * {@code now}) of a tenant that holds more bookings than {@code tenant}. Taking the second, not the first, leaves
   * the tenants taking turns; the caller whose booking it was is booked again at the end when it comes back, and
   * that booking is kept for it: a caller waits at most twice.
   */
  Optional<Booking> toTakeOver(String tenant, Instant now) {
    int mine = perTenant.getOrDefault(tenant, 0);
    Instant after = now;
    for (Booking b : byTime.descendingSet()) {
      if (b.tenant().equals(tenant)) {
        after = b.at().isAfter(now) ? b.at() : now;
        break;
      }
    }
    boolean skipped = false;
    for (Booking b : byTime.tailSet(new Booking("", "", after, false), false)) {
      if (b.tenant().equals(tenant) || b.kept() || !b.at().isAfter(after)
          || perTenant.getOrDefault(b.tenant(), 0) <= mine) {
        continue;
      }
      if (skipped) {
        return Optional.of(b);
      }
      skipped = true;
    }
    return Optional.empty();
  }

  /** Drops the bookings whose callers did not come back within {@link #GIVE_UP_AFTER} of their moment. */
  void forgetGivenUp(Instant now) {
    Instant cutoff = now.minus(GIVE_UP_AFTER);
    takenOver.values().removeIf(at -> at.isBefore(cutoff));
    while (!byTime.isEmpty() && byTime.first().at().isBefore(cutoff)) {
      cancel(byTime.first().who());
    }
  }
}
