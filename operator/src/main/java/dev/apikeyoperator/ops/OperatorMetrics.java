package dev.apikeyoperator.ops;

import dev.apikeyoperator.status.Reason;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 *       condition (see {@link ProviderReadiness})</li>
 *   <li>{@code apikey_operator_keys_minted_total}, {@code apikey_operator_rotations_total},
 *       {@code apikey_operator_keys_revoked_total}, {@code apikey_operator_revocation_failures_total},
 *       {@code apikey_operator_rollout_restarts_total}</li>
 * </ul>
 * No label ever carries a key value or a resource name (bounded cardinality).
 */
public final class OperatorMetrics {
  /** What the metrics know of one ApiKey: the reason of its Ready condition and when it is due for rotation. */
  private record KeyState(Reason reason, Instant nextRotationAt) {}

  /** One provider's Ready condition. */
  record ProviderState(boolean ready, String reason) {}

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final Map<String, KeyState> keys = new ConcurrentHashMap<>();
  private final Map<String, ProviderState> providers = new ConcurrentHashMap<>();
  private final Set<ProviderState> providerGauges = ConcurrentHashMap.newKeySet();
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
      Gauge.builder("apikey.operator.apikeys", keys, m -> countReason(m, reason))
          .description("ApiKeys by the reason of their Ready condition")
          .tag("reason", reason.name())
          .register(registry);
    }
    Gauge.builder("apikey.operator.creation.indeterminate", keys, m -> countReason(m, Reason.CreationIndeterminate))
        .description("ApiKeys whose last key creation has an unknown outcome and awaits a human")
        .register(registry);
    Gauge.builder("apikey.operator.rotation.overdue", keys, this::mostOverdueSeconds)
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
    return registry.scrape();
  }

  public void vendorRequest(String vendor, String operation, String status, Duration took) {
    Timer.builder("apikey.operator.vendor.requests")
        .description("Calls to vendor Admin APIs")
        .tags("vendor", vendor, "operation", operation, "status", status)
        .register(registry)
        .record(took);
  }

  /** Records the Ready reason of an ApiKey (by uid); null forgets it (the ApiKey is gone). */
  public void apiKeyReason(String uid, Reason reason) {
    apiKeyReason(uid, reason, null);
  }

  /**
   * Records the Ready reason of an ApiKey (by uid) and its {@code status.nextRotationAt} (RFC 3339, null: no
   * rotation planned); a null reason forgets the ApiKey (it is gone).
   */
  public void apiKeyReason(String uid, Reason reason, String nextRotationAt) {
    if (reason == null) {
      keys.remove(uid);
    } else {
      keys.put(uid, new KeyState(reason, parse(nextRotationAt)));
    }
  }

  /**
   * Wraps JOSDK's metrics (those the operator registers with {@code withMetrics}) so that provider readiness is
   * recorded too.
   */
  public io.javaoperatorsdk.operator.api.monitoring.Metrics observingProviders(
      io.javaoperatorsdk.operator.api.monitoring.Metrics josdk) {
    return new ProviderReadiness(this, josdk);
  }

  /** Records a provider's Ready condition (by uid); null forgets it (the provider is gone). */
  void provider(String uid, ProviderState state) {
    if (state == null) {
      providers.remove(uid);
      return;
    }
    if (providerGauges.add(state)) {
      Gauge.builder("apikey.operator.providers", providers,
              m -> m.values().stream().filter(state::equals).count())
          .description("ApiKeyProviders and ClusterApiKeyProviders by their Ready condition")
          .tags("ready", Boolean.toString(state.ready()), "reason", state.reason())
          .register(registry);
    }
    providers.put(uid, state);
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

  private static long countReason(Map<String, KeyState> keys, Reason reason) {
    return keys.values().stream().filter(k -> k.reason() == reason).count();
  }

  private double mostOverdueSeconds(Map<String, KeyState> keys) {
    Instant now = clock.instant();
    return keys.values().stream()
        .filter(k -> k.nextRotationAt() != null && k.reason() != Reason.Paused && k.nextRotationAt().isBefore(now))
        .mapToDouble(k -> Duration.between(k.nextRotationAt(), now).toMillis() / 1000.0)
        .max().orElse(0);
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
