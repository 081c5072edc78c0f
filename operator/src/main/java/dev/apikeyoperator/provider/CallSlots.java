package dev.apikeyoperator.provider;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.ProviderRef;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How many reconciles of one tenant may be at work at once (README "Guarantees" 7): all reconcile threads are
 * shared, and a vendor call can hold one for up to its deadline, so a tenant whose endpoint hangs must not hold more
 * than a few. A tenant is a namespace (all its namespaced providers together, so that creating more providers gains
 * nothing), or a namespace's share of a ClusterApiKeyProvider. Taking a slot never waits: a reconcile without one is
 * rescheduled, its thread freed at once.
 */
public final class CallSlots {
  /** What a slot is assumed to be held for before any was given back. */
  private static final long FIRST_HOLD_NANOS = Duration.ofMillis(100).toNanos();
  private static final Duration LEAST_WAIT = Duration.ofMillis(50);
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

  private final int perTenant;
  private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

  /** One tenant's slots, how long they are held on average, and when the last one turned away gets its turn. */
  private static final class Tenant {
    final Semaphore slots;
    long averageHoldNanos = FIRST_HOLD_NANOS;
    long nextTurnNanos;

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

  public CallSlots(int perTenant) {
    if (perTenant < 1) {
      throw new IllegalArgumentException("at least one reconcile per namespace must be allowed");
    }
    this.perTenant = perTenant;
  }

  /** A taken slot; closing it gives it back. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /** A slot for {@code tenant}, or empty when all of its slots are taken. */
  public Optional<Slot> tryTake(String tenant) {
    Tenant t = tenants.computeIfAbsent(tenant, k -> new Tenant(perTenant));
    if (!t.slots.tryAcquire()) {
      return Optional.empty();
    }
    long taken = System.nanoTime();
    return Optional.of(new Slot() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          t.slots.release();
          t.held(System.nanoTime() - taken);
        }
      }
    });
  }

  /** Whether a slot of {@code tenant} is free now (a cheap look before the reads that precede taking one). */
  public boolean anyFree(String tenant) {
    return tenants.computeIfAbsent(tenant, k -> new Tenant(perTenant)).slots.availablePermits() > 0;
  }

  /**
   * When a reconcile that found {@code tenant}'s slots all taken should come back: in turn behind the others turned
   * away before it, each one average hold apart (shared by the slots), so that a thousand waiting keys do not all
   * come back at once, nor each a dozen times.
   */
  public Duration comeBackAfter(String tenant) {
    Tenant t = tenants.computeIfAbsent(tenant, k -> new Tenant(perTenant));
    Duration wait = Duration.ofNanos(t.turnAfter(System.nanoTime(), perTenant));
    return wait.compareTo(LEAST_WAIT) < 0 ? LEAST_WAIT : wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
  }

  /** The tenant an ApiKey's reconcile counts against. */
  public static String tenantOf(ApiKey apiKey) {
    ProviderRef ref = apiKey.getSpec() == null ? null : apiKey.getSpec().providerRef;
    String namespace = apiKey.getMetadata().getNamespace();
    return ref != null && ref.kindOrDefault() == ProviderRef.Kind.ClusterApiKeyProvider
        ? "cluster/" + ref.name + "/" + namespace : "namespace/" + namespace;
  }

  /** The tenant a provider's own check counts against. */
  public static String tenantOf(Provider provider) {
    return provider.kind() == ProviderRef.Kind.ApiKeyProvider ? "namespace/" + provider.namespace()
        : "cluster/" + provider.name();
  }
}
