package dev.apikeyoperator.ops;

import dev.apikeyoperator.status.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own metrics (JOSDK adds its reconciliation metrics to the same registry). Names, as Prometheus
 * shows them:
 * <ul>
 *   <li>{@code apikey_operator_vendor_requests_seconds{vendor,operation,status}}: vendor calls and their latency</li>
 *   <li>{@code apikey_operator_apikeys{reason}}: ApiKeys by Ready reason</li>
 *   <li>{@code apikey_operator_creation_indeterminate}: ApiKeys in CreationIndeterminate</li>
 *   <li>{@code apikey_operator_keys_minted_total}, {@code apikey_operator_rotations_total},
 *       {@code apikey_operator_keys_revoked_total}, {@code apikey_operator_revocation_failures_total},
 *       {@code apikey_operator_rollout_restarts_total}</li>
 * </ul>
 * No label ever carries a key value or a resource name (bounded cardinality).
 */
public final class OperatorMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Reason> reasons = new ConcurrentHashMap<>();
  private final Counter created;
  private final Counter rotations;
  private final Counter revoked;
  private final Counter revocationFailures;
  private final Counter rolloutRestarts;

  public OperatorMetrics() {
    for (Reason reason : Reason.values()) {
      Gauge.builder("apikey.operator.apikeys", reasons, m -> m.values().stream().filter(reason::equals).count())
          .description("ApiKeys by the reason of their Ready condition")
          .tag("reason", reason.name())
          .register(registry);
    }
    Gauge.builder("apikey.operator.creation.indeterminate", reasons,
            m -> m.values().stream().filter(Reason.CreationIndeterminate::equals).count())
        .description("ApiKeys whose last key creation has an unknown outcome and awaits a human")
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
    if (reason == null) {
      reasons.remove(uid);
    } else {
      reasons.put(uid, reason);
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
}
