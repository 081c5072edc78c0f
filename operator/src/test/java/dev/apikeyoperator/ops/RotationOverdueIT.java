package dev.apikeyoperator.ops;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikeyoperator.OperatorSettings;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.it.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code apikey_operator_rotation_overdue_seconds} of a running operator (the ApiKeyRotationOverdue alert). */
class RotationOverdueIT {
  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness(OperatorSettings.defaults()
      .withVendorReadTimeout(Duration.ofSeconds(3)).withProviderRecheckInterval(Duration.ofSeconds(2)));

  /** A rotation that cannot happen (its provider lost its credentials) shows as overdue, and stops when fixed. */
  @Test
  void aRotationThatCannotHappenIsReportedOverdue() {
    String ns = h.namespaceWithProvider();
    ApiKey key = serverSideKey(ns, "stuck");
    key.getSpec().rotation = new RotationSpec();
    key.getSpec().rotation.every = "10s";
    key.getSpec().rotation.gracePeriod = "0s";
    h.create(key);
    h.awaitReason(ns, "stuck", "KeyReady");
    // The credential is revoked (its Secret now holds a dead token): a deleted Secret would stay, held by the
    // operator's finalizer until the provider goes, and keep working.
    h.edit(io.fabric8.kubernetes.api.model.Secret.class, ns, "fme-admin", s -> s.getData().put("token",
        java.util.Base64.getEncoder().encodeToString("revoked-token".getBytes(java.nio.charset.StandardCharsets.UTF_8))));

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(h.metrics.scrape())
        .containsPattern("apikey_operator_rotation_overdue_seconds [1-9][0-9]+\\."));

    h.edit(io.fabric8.kubernetes.api.model.Secret.class, ns, "fme-admin", s -> s.getData().put("token",
        java.util.Base64.getEncoder().encodeToString(h.simulator.adminToken().getBytes(
            java.nio.charset.StandardCharsets.UTF_8))));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(h.metrics.scrape())
        .containsPattern("apikey_operator_rotation_overdue_seconds [0-9]\\.")); // under 10 s: rotating again
    h.client.resource(h.get(ns, "stuck")).delete();
    h.awaitGone(ns, "stuck");
  }
}
