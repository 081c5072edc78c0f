package dev.apikeyoperator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.status.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void rotationOverdueIsHowFarTheMostOverdueKeyIsPastNextRotationAt() {
    OperatorMetrics metrics = new OperatorMetrics(Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(metrics.scrape()).contains("apikey_operator_rotation_overdue_seconds 0.0");

    metrics.apiKeyReason("due-later", Reason.KeyReady, NOW.plus(Duration.ofDays(3)).toString());
    metrics.apiKeyReason("no-rotation", Reason.KeyReady, null);
    assertThat(metrics.scrape()).contains("apikey_operator_rotation_overdue_seconds 0.0");

    metrics.apiKeyReason("late", Reason.VendorError, NOW.minus(Duration.ofMinutes(90)).toString());
    metrics.apiKeyReason("a-bit-late", Reason.RateLimited, NOW.minus(Duration.ofMinutes(5)).toString());
    assertThat(metrics.scrape()).contains("apikey_operator_rotation_overdue_seconds 5400.0");

    metrics.apiKeyReason("late", Reason.Paused, NOW.minus(Duration.ofMinutes(90)).toString());
    assertThat(metrics.scrape()).as("a paused ApiKey is not overdue")
        .contains("apikey_operator_rotation_overdue_seconds 300.0");

    metrics.apiKeyReason("a-bit-late", null);
    assertThat(metrics.scrape()).contains("apikey_operator_rotation_overdue_seconds 0.0");
  }

  @Test
  void providersAreCountedByReadyAndReasonAndForgottenWhenGone() {
    OperatorMetrics metrics = new OperatorMetrics();
    metrics.provider("p1", new OperatorMetrics.ProviderState(true, "CredentialsValid"));
    metrics.provider("p2", new OperatorMetrics.ProviderState(false, "SecretNotFound"));
    metrics.provider("p3", new OperatorMetrics.ProviderState(false, "SecretNotFound"));
    assertThat(metrics.scrape())
        .contains("apikey_operator_providers{ready=\"true\",reason=\"CredentialsValid\"} 1.0")
        .contains("apikey_operator_providers{ready=\"false\",reason=\"SecretNotFound\"} 2.0");

    metrics.provider("p2", new OperatorMetrics.ProviderState(true, "CredentialsValid"));
    metrics.provider("p3", null);
    assertThat(metrics.scrape())
        .contains("apikey_operator_providers{ready=\"true\",reason=\"CredentialsValid\"} 2.0")
        .contains("apikey_operator_providers{ready=\"false\",reason=\"SecretNotFound\"} 0.0");
  }
}
