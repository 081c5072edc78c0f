package dev.apikeyoperator.pacing;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.api.v1alpha1.RateLimitSpec;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The way into pacing: every vendor call first holds one of its tenant's call slots ({@link #trySlot}), then a
 * permit of its provider's pace ({@link Slot#permit}), then calls. The types hold that order: only a held
 * {@link Slot} can ask for a permit. A caller with no slot may book its permit ahead ({@link Throttle#book}), which
 * takes nothing.
 */
public final class Pacing {
  private final CallSlots slots;
  private final Clock clock;
  /** Per provider (and endpoint): the pace learned from its 429s, which nothing in the cluster records. */
  private final Map<String, Throttle> throttles = new ConcurrentHashMap<>();

  /** {@code perTenant}: how many reconciles of one tenant may call a vendor at once. */
  public Pacing(int perTenant, Clock clock) {
    this.slots = new CallSlots(perTenant);
    this.clock = clock;
  }

  /** The pace of the provider known as {@code provider}, shared by all its keys, set to {@code limit}. */
  public Throttle throttle(String provider, RateLimitSpec limit) {
    Throttle throttle = throttles.computeIfAbsent(provider, k -> new Throttle(clock));
    throttle.configure(limit);
    return throttle;
  }

  /** A slot for {@code tenant}, or empty when all of its slots are taken. */
  public Optional<Slot> trySlot(String tenant) {
    return slots.tryTake(tenant);
  }

  /** {@code who} found all of {@code tenant}'s slots taken: it is woken when one is free; when to come back if not. */
  public Duration awaitSlot(String tenant, ResourceID who) {
    return slots.await(tenant, who);
  }

  /** {@code done}'s reconcile ended: wakes as many of {@code tenant}'s waiters as it has free slots. */
  public void wakeWaiters(String tenant, ResourceID done) {
    slots.wakeWaiters(tenant, done);
  }

  /** Who is told (its reconcile is triggered) when a slot it waits for is given back. */
  public void onSlotFree(Consumer<ResourceID> wake) {
    slots.onFree(wake);
  }

  /** The tenant an ApiKey's reconcile counts against: its namespace, or its namespace's share of a cluster provider. */
  public static String tenantOf(ApiKey apiKey) {
    ProviderRef ref = apiKey.getSpec() == null ? null : apiKey.getSpec().providerRef;
    String namespace = apiKey.getMetadata().getNamespace();
    return ref != null && ref.kindOrDefault() == ProviderRef.Kind.ClusterApiKeyProvider
        ? "cluster/" + ref.name + "/" + namespace : "namespace/" + namespace;
  }

  /** The tenant a provider's own check counts against. */
  public static String tenantOf(ProviderRef.Kind kind, String namespace, String name) {
    return kind == ProviderRef.Kind.ApiKeyProvider ? "namespace/" + namespace : "cluster/" + name;
  }
}
