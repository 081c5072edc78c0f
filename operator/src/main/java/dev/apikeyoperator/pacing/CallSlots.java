package dev.apikeyoperator.pacing;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * How many reconciles of one tenant may be at work at once (docs/concepts/guarantees.md 7): all reconcile threads are
 * shared, and a vendor call can hold one for up to its deadline, so a tenant whose endpoint hangs must not hold more
 * than a few. A tenant is a namespace (all its namespaced providers together, so that creating more providers gains
 * nothing), or a namespace's share of a ClusterApiKeyProvider. Taking a slot never waits: a reconcile without one is
 * rescheduled, its thread freed at once.
 */
final class CallSlots {
  /** What a slot is assumed to be held for before any was given back. */
  private static final long FIRST_HOLD_NANOS = Duration.ofMillis(100).toNanos();
  /** A waiter is woken when a slot is given back; this is only the fallback should that never happen. */
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

  private final int perTenant;
  /** Per tenant (namespace), not per key: who holds and who waits for a slot is known to this process only. */
  private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

  private volatile Consumer<ResourceID> wake = id -> { };

  /**
   * One tenant's slots, how long they are held on average, when the last one turned away is due back, and who
   * waits for a slot, in order.
   */
  private static final class Tenant {
    final Semaphore slots;
    final Set<ResourceID> waiting = new LinkedHashSet<>();
    /** Woken, not yet back: each counts as the taker of one free slot, so that nobody else is woken for it. */
    final Set<ResourceID> woken = new java.util.HashSet<>();
    long averageHoldNanos = FIRST_HOLD_NANOS;
    long nextTurnNanos;

    synchronized void await(ResourceID who) {
      waiting.add(who);
    }

    /** The next waiter, if a slot is free that no woken one is about to take. */
    synchronized ResourceID nextWaiter() {
      var first = waiting.iterator();
      if (!first.hasNext() || slots.availablePermits() <= woken.size()) {
        return null;
      }
      ResourceID next = first.next();
      first.remove();
      woken.add(next);
      return next;
    }

    synchronized void back(ResourceID who) {
      woken.remove(who);
    }

    Tenant(int perTenant) {
      slots = new Semaphore(perTenant);
    }

    synchronized void held(long nanos) {
      averageHoldNanos = (averageHoldNanos * 7 + nanos) / 8;
    }

    /** A virtual queue: each one turned away comes back one average hold (shared by the slots) after the last. */
    synchronized long turnAfter(long now, int perTenant) {
      nextTurnNanos = Math.max(now, nextTurnNanos) + averageHoldNanos / perTenant;
      return nextTurnNanos - now;
    }
  }

  CallSlots(int perTenant) {
    if (perTenant < 1) {
      throw new IllegalArgumentException("at least one reconcile per namespace must be allowed");
    }
    this.perTenant = perTenant;
  }

  /** Who is told (its reconcile is triggered) when a slot it waits for is given back. */
  void onFree(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /** A slot for {@code tenant}, or empty when all of its slots are taken. */
  Optional<Slot> tryTake(String tenant) {
    Tenant t = tenants.computeIfAbsent(tenant, k -> new Tenant(perTenant));
    if (!t.slots.tryAcquire()) {
      return Optional.empty();
    }
    long taken = System.nanoTime();
    return Optional.of(new Slot(() -> {
      t.slots.release();
      t.held(System.nanoTime() - taken);
      for (ResourceID next = t.nextWaiter(); next != null; next = t.nextWaiter()) {
        wake.accept(next);
      }
    }));
  }

  /**
   * {@code who} found {@code tenant}'s slots all taken: it is woken, in the order they came, as slots are given
   * back. Returns when it should come back should no wake come: well after its estimated turn (the ones waiting
   * before it, each one average hold apart, shared by the slots), so a thousand waiting keys neither all come back at
   * once nor each a dozen times.
   */
  Duration await(String tenant, ResourceID who) {
    Tenant t = tenants.computeIfAbsent(tenant, k -> new Tenant(perTenant));
    t.back(who);
    t.await(who);
    Duration turn = Duration.ofNanos(t.turnAfter(System.nanoTime(), perTenant));
    Duration fallback = turn.multipliedBy(3).plus(Duration.ofSeconds(2));
    return fallback.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : fallback;
  }

  /**
   * {@code done}'s reconcile ended: if it had been woken it is back, and as many of {@code tenant}'s waiters are
   * woken as it has free slots that no woken one is about to take. A woken waiter that ended up needing no slot
   * (or whose slot a newcomer took) must not leave the others waiting for their fallback.
   */
  void wakeWaiters(String tenant, ResourceID done) {
    Tenant t = tenants.get(tenant);
    if (t == null) {
      return;
    }
    t.back(done);
    for (ResourceID next = t.nextWaiter(); next != null; next = t.nextWaiter()) {
      wake.accept(next);
    }
  }
}
