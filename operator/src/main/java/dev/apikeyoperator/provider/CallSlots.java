package dev.apikeyoperator.provider;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.ProviderRef;
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
  private final int perTenant;
  private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

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
    Semaphore s = slots.computeIfAbsent(tenant, t -> new Semaphore(perTenant));
    if (!s.tryAcquire()) {
      return Optional.empty();
    }
    return Optional.of(new Slot() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          s.release();
        }
      }
    });
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
