package dev.apikeyoperator.ops;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ProviderStatus;
import dev.apikeyoperator.status.Conditions;
import dev.apikeyoperator.status.Reason;
import dev.apikeyoperator.status.StatusBuilder;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The operator's own metrics (JOSDK adds its reconciliation metrics to the same registry). Names, as Prometheus
 * shows them:
 * <ul>
 *   <li>{@code apikey_operator_vendor_requests_seconds{vendor,operation,status}}: vendor calls and their latency</li>
 *   <li>{@code apikey_operator_apikeys{reason}}: ApiKeys by Ready reason</li>
 *   <li>{@code apikey_operator_creation_indeterminate}: ApiKeys in CreationIndeterminate</li>
 *   <li>{@code apikey_operator_rotation_overdue_seconds}: how far the most overdue rotation is past its
 *       {@code status.nextRotationAt} (0: none is)</li>
 *   <li>{@code apikey_operator_providers{ready,reason}}: ApiKeyProviders and ClusterApiKeyProviders by their Ready
 *       condition</li>
 *   <li>{@code apikey_operator_keys_minted_total}, {@code apikey_operator_rotations_total},
 *       {@code apikey_operator_keys_revoked_total}, {@code apikey_operator_revocation_failures_total},
 *       {@code apikey_operator_rollout_restarts_total}</li>
 * </ul>
 * No label ever carries a key value or a resource name (bounded cardinality). The ApiKey and provider figures are
 * counted at scrape time from the controllers' informer caches (their statuses), so nothing is kept per resource; like
 * the reconciles, they are reported by the leader only.
 */
public final class OperatorMetrics {
  /** One provider's Ready condition. */
  record ProviderState(boolean ready, String reason) {}

  /** What the gauges show, counted from the caches at one scrape. */
  private record Counts(Map<Reason, Long> byReason, double mostOverdueSeconds, Map<ProviderState, Long> providers) {
    static final Counts NONE = new Counts(Map.of(), 0, Map.of());
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private volatile Supplier<Stream<ApiKey>> apiKeys = Stream::empty;
  /** By provider kind: one cache each. */
  private final Map<String, Supplier<Stream<ProviderStatus>>> providers = new ConcurrentHashMap<>();
  private volatile boolean leading = true;
  private final Set<ProviderState> providerGauges = ConcurrentHashMap.newKeySet();
  /** Counted once per scrape, not once per gauge. */
  private volatile Counts counts = Counts.NONE;
  private final Counter created;
  private final Counter rotations;
  private final Counter revoked;
  private final Counter revocationFailures;
  private final Counter rolloutRestarts;

  public OperatorMetrics() {
    this(Clock.systemUTC());
  }

  /** With the clock that says whether a rotation is overdue. */
  public OperatorMetrics(Clock clock) {
    this.clock = clock;
    // JOSDK registers its meters without a description; Prometheus' text format (and promtool check metrics)
    // wants a HELP line for every metric.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null) {
          return id;
        }
        return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(),
            "Java Operator SDK metric " + id.getName() + " (see JOSDK's documentation)", id.getType());
      }
    });
    for (Reason reason : Reason.values()) {
      Gauge.builder("apikey.operator.apikeys", this, m -> m.counts().byReason().getOrDefault(reason, 0L))
          .description("ApiKeys by the reason of their Ready condition")
          .tag("reason", reason.name())
          .register(registry);
    }
    Gauge.builder("apikey.operator.creation.indeterminate", this,
            m -> m.counts().byReason().getOrDefault(Reason.CreationIndeterminate, 0L))
        .description("ApiKeys whose last key creation has an unknown outcome and awaits a human")
        .register(registry);
    Gauge.builder("apikey.operator.rotation.overdue", this, m -> m.counts().mostOverdueSeconds())
        .description("How long the most overdue rotation is past the ApiKey's status.nextRotationAt (0: none is; "
            + "paused ApiKeys are left out)")
        .baseUnit("seconds")
        .register(registry);
    created = Counter.builder("apikey.operator.keys.minted").description("Keys created at vendors")
        .register(registry);
    rotations = Counter.builder("apikey.operator.rotations")
        .description("Keys replaced by a new one (rotation or identity change)").register(registry);
    revoked = Counter.builder("apikey.operator.keys.revoked").description("Keys revoked at vendors")
        .register(registry);
    revocationFailures = Counter.builder("apikey.operator.revocation.failures")
        .description("Revocation attempts that failed (retried later)").register(registry);
    rolloutRestarts = Counter.builder("apikey.operator.rollout.restarts")
        .description("Workloads restarted because the key in their Secret changed").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Prometheus text exposition of every metric. */
  public String scrape() {
    synchronized (this) {
      counts = leading ? count() : Counts.NONE;
      counts.providers().keySet().forEach(this::providerGauge);
      return registry.scrape();
    }
  }

  public void vendorRequest(String vendor, String operation, String status, Duration took) {
    Timer.builder("apikey.operator.vendor.requests")
        .description("Calls to vendor Admin APIs")
        .tags("vendor", vendor, "operation", operation, "status", status)
        .register(registry)
        .record(took);
  }

  /** What {@code cache} holds; nothing before it has started (a scrape may come before the operator starts). */
  public static <R> Supplier<Stream<R>> listing(Cache<R> cache) {
    return () -> cache instanceof AbstractEventSource<?, ?> source && !source.isRunning() ? Stream.empty()
        : cache.list();
  }

  /** Where the ApiKeys are counted from: the ApiKey controller's cache. */
  public void countApiKeysIn(Supplier<Stream<ApiKey>> cache) {
    apiKeys = cache;
  }

  /** Where the providers of {@code kind} are counted from: that kind's controller cache. */
  public void countProvidersIn(String kind, Supplier<Stream<ProviderStatus>> cache) {
    providers.put(kind, cache);
  }

  /** Whether this process leads (reconciles); a standby reports no ApiKeys and no providers, as it reconciles none. */
  public void leading(boolean leading) {
    this.leading = leading;
  }

  /** A gauge for providers in {@code state}, from the first scrape that sees one; it shows 0 when none is left. */
  private void providerGauge(ProviderState state) {
    if (providerGauges.add(state)) {
      Gauge.builder("apikey.operator.providers", this, m -> m.counts().providers().getOrDefault(state, 0L))
          .description("ApiKeyProviders and ClusterApiKeyProviders by their Ready condition")
          .tags("ready", Boolean.toString(state.ready()), "reason", state.reason())
          .register(registry);
    }
  }

  public void keyCreated(boolean replacesAnother) {
    created.increment();
    if (replacesAnother) {
      rotations.increment();
    }
  }

  public void keyRevoked() {
    revoked.increment();
  }

  public void revocationFailed() {
    revocationFailures.increment();
  }

  public void rolloutRestarted() {
    rolloutRestarts.increment();
  }

  private Counts counts() {
    return counts;
  }

  /** Each ApiKey by the reason its status shows (Synced's when it has a problem, else Ready's), as reconciled. */
  private Counts count() {
    Instant now = clock.instant();
    Map<Reason, Long> byReason = new EnumMap<>(Reason.class);
    double mostOverdue = 0;
    for (ApiKey apiKey : (Iterable<ApiKey>) apiKeys.get()::iterator) {
      if (apiKey.getStatus() == null) {
        continue;
      }
      Reason reason = StatusBuilder.problemReason(apiKey.getStatus().conditions).map(OperatorMetrics::reason)
          .orElse(null);
      if (reason == null) {
        continue;
      }
      byReason.merge(reason, 1L, Long::sum);
      Instant due = parse(apiKey.getStatus().nextRotationAt);
      if (due != null && reason != Reason.Paused && due.isBefore(now)) {
        mostOverdue = Math.max(mostOverdue, Duration.between(due, now).toMillis() / 1000.0);
      }
    }
    Map<ProviderState, Long> byState = new HashMap<>();
    for (Supplier<Stream<ProviderStatus>> cache : providers.values()) {
      cache.get().forEach(status -> Conditions.find(status == null ? null : status.conditions, Conditions.READY)
          .ifPresent(c -> byState.merge(new ProviderState("True".equals(c.getStatus()), String.valueOf(c.getReason())),
              1L, Long::sum)));
    }
    return new Counts(byReason, mostOverdue, byState);
  }

  private static Reason reason(String name) {
    try {
      return Reason.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null; // written by another version of the operator: not counted
    }
  }

  private static Instant parse(String instant) {
    if (instant == null) {
      return null;
    }
    try {
      return Instant.parse(instant);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
