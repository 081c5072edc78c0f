package dev.apikeyoperator.policy;

import dev.apikeyoperator.api.v1alpha1.ProviderPolicy;
import dev.apikeyoperator.api.v1alpha1.ProviderRef;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.pacing.Throttle;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider policy {@code maxKeysPerHour}: how many keys one namespace may have minted through a provider per
 * hour, rotations and replacements included. Without it a tenant could make a shared provider mint without bound
 * (a new {@code rotate-requested-at} every second, {@code gracePeriod: 0s}). A ClusterApiKeyProvider has it by
 * default (60); an ApiKeyProvider, whose tenant owns its account, only when its policy sets it.
 *
 * <p>Kept in memory, one bucket per provider and namespace (tenants, not ApiKeys): a restart gives every namespace
 * a full hour's budget again, which bounds minting to the budget per restart.
 */
public final class MintBudget {
  private static final Duration HOUR = Duration.ofHours(1);

  private record Budget(int perHour, Bucket bucket) {}

  /** Per provider and namespace: how much of the hour's budget is spent is recorded nowhere in the cluster. */
  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
  private final Clock clock;

  public MintBudget(Clock clock) {
    this.clock = clock;
  }

  /** The provider's hourly budget per namespace; empty: none. */
  public static Optional<Integer> perHour(Provider provider) {
    ProviderPolicy policy = provider.spec() == null ? null : provider.spec().policyOrDefault();
    if (policy != null && policy.maxKeysPerHour != null) {
      return Optional.of(policy.maxKeysPerHour);
    }
    return provider.kind() == ProviderRef.Kind.ClusterApiKeyProvider
        ? Optional.of(ProviderPolicy.DEFAULT_MAX_KEYS_PER_HOUR) : Optional.empty();
  }

  /** How long {@code namespace} must wait before it may mint through {@code provider}; empty: it may now. */
  public Optional<Duration> waitBefore(Provider provider, String namespace) {
    return bucket(provider, namespace).map(b -> b.estimateAbilityToConsume(1))
        .filter(probe -> !probe.canBeConsumed()).map(probe -> Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }

  /** Takes one key from the budget; empty when taken, else how long to wait. */
  public Optional<Duration> take(Provider provider, String namespace) {
    return bucket(provider, namespace).map(b -> b.tryConsumeAndReturnRemaining(1))
        .filter(probe -> !probe.isConsumed()).map(probe -> Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }

  private Optional<Bucket> bucket(Provider provider, String namespace) {
    Optional<Integer> perHour = perHour(provider);
    if (perHour.isEmpty()) {
      return Optional.empty();
    }
    int limit = perHour.get();
    Budget budget = budgets.compute(provider.uid() + "/" + namespace, (k, b) ->
        b != null && b.perHour() == limit ? b : new Budget(limit, newBucket(limit)));
    return Optional.of(budget.bucket());
  }

  private Bucket newBucket(int perHour) {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(perHour).refillGreedy(perHour, HOUR))
        .withCustomTimePrecision(Throttle.timeMeter(clock))
        .build();
  }
}
