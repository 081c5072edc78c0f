package dev.apikeyoperator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyStatus;
import dev.apikeyoperator.api.v1alpha1.ProviderStatus;
import dev.apikeyoperator.status.ConditionReason;
import dev.apikeyoperator.status.ProviderReason;
import dev.apikeyoperator.status.Reason;
import dev.apikeyoperator.status.StatusBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gauges are counted from the caches (here a map standing for one) at each scrape. */
class OperatorMetricsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private final Map<String, ApiKey> apiKeys = new LinkedHashMap<>();
  private final Map<String, ProviderStatus> providers = new LinkedHashMap<>();

  /** The ApiKey {@code uid} as reconciled to {@code reason}, due for rotation at {@code nextRotationAt}; null: gone. */
  private void apiKey(String uid, Reason reason, String nextRotationAt) {
    if (reason == null) {
      apiKeys.remove(uid);
      return;
    }
    ApiKey k = new ApiKey();
    k.getMetadata().setName(uid);
    k.getMetadata().setGeneration(1L);
    k.setStatus(new ApiKeyStatus());
    if (reason.ready()) {
      StatusBuilder.setReadyAndSynced(k.getStatus(), k, reason, "m", null, "m", Clock.systemUTC());
    } else {
      StatusBuilder.setReadyAndSynced(k.getStatus(), k, Reason.KeyReady, "m", reason, "m", Clock.systemUTC());
    }
    k.getStatus().nextRotationAt = nextRotationAt;
    apiKeys.put(uid, k);
  }

  private void apiKey(String uid, Reason reason) {
    apiKey(uid, reason, null);
  }

  /** A provider {@code uid} whose Ready condition is {@code ready} with {@code reason}; null: gone. */
  private void provider(String uid, OperatorMetrics.ProviderState state) {
    if (state == null) {
      providers.remove(uid);
      return;
    }
    ProviderStatus status = new ProviderStatus();
    ApiKey owner = new ApiKey();
    owner.getMetadata().setGeneration(1L);
    ConditionReason reason = ProviderReason.valueOf(state.reason());
    status.conditions = StatusBuilder.ready(null, owner, new ConditionReason() {
      @Override
      public boolean ready() {
        return state.ready();
      }

      @Override
      public String name() {
        return reason.name();
      }
    }, "m", Clock.systemUTC());
    providers.put(uid, status);
  }

  private OperatorMetrics metrics(Clock clock) {
    OperatorMetrics metrics = new OperatorMetrics(clock);
    metrics.countApiKeysIn(() -> apiKeys.values().stream());
    metrics.countProvidersIn("ApiKeyProvider", () -> providers.values().stream());
    return metrics;
  }

  @Test
  void rotationOverdueIsHowFarTheMostOverdueKeyIsPastNextRotationAt() {
    OperatorMetrics metrics = metrics(Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(metrics.scrape()).contains("apikey_operator_rotation_overdue_seconds 0.0");

    apiKey("due-later", Reason.KeyReady, NOW.plus(Duration.ofDays(3)).toString());
    apiKey("no-rotation", Reason.KeyReady, null);
    assertThat(metrics.scrape()).contains("apikey_operator_rotation_overdue_seconds 0.0");

    apiKey("late", Reason.VendorError, NOW.minus(Duration.ofMinutes(90)).toString());
    apiKey("a-bit-late", Reason.RateLimited, NOW.minus(Duration.ofMinutes(5)).toString());
    assertThat(metrics.scrape()).contains("apikey_operator_rotation_overdue_seconds 5400.0");

    apiKey("late", Reason.Paused, NOW.minus(Duration.ofMinutes(90)).toString());
    assertThat(metrics.scrape()).as("a paused ApiKey is not overdue")
        .contains("apikey_operator_rotation_overdue_seconds 300.0");

    apiKey("a-bit-late", null);
    assertThat(metrics.scrape()).contains("apikey_operator_rotation_overdue_seconds 0.0");
  }

  @Test
  void providersAreCountedByReadyAndReasonAndForgottenWhenGone() {
    OperatorMetrics metrics = metrics(Clock.systemUTC());
    provider("p1", new OperatorMetrics.ProviderState(true, "CredentialsValid"));
    provider("p2", new OperatorMetrics.ProviderState(false, "SecretNotFound"));
    provider("p3", new OperatorMetrics.ProviderState(false, "SecretNotFound"));
    assertThat(metrics.scrape())
        .contains("apikey_operator_providers{ready=\"true\",reason=\"CredentialsValid\"} 1.0")
        .contains("apikey_operator_providers{ready=\"false\",reason=\"SecretNotFound\"} 2.0");

    provider("p2", new OperatorMetrics.ProviderState(true, "CredentialsValid"));
    provider("p3", null);
    assertThat(metrics.scrape())
        .contains("apikey_operator_providers{ready=\"true\",reason=\"CredentialsValid\"} 2.0")
        .contains("apikey_operator_providers{ready=\"false\",reason=\"SecretNotFound\"} 0.0");
  }
}
